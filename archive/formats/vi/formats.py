# Vietnamese writes 942.600 for nine hundred and forty-two thousand six hundred. Django's own vi
# formats name the separator but set no grouping, so counts at a million articles read "942600".
NUMBER_GROUPING = 3
