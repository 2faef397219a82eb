/* Slugs from Vietnamese names in the admin's forms (articles/admin.py, FoldedSlugAdmin).

Django's URLify (admin/js/urlify.js) has no map for Vietnamese letters and drops them:
"Nguyễn Mạnh Hùng" became "nguyn-mnh-hung". The text is folded first as the server folds it
(articles.extraction.normalize.fold): đ → d, Đ → D, then every combining mark removed after
canonical decomposition, so "Nguyễn Mạnh Hùng" → "Nguyen Manh Hung" → "nguyen-manh-hung".

prepopulate.js calls the global URLify on every keystroke, so replacing window.URLify once is
enough; this file may load before or after urlify.js (a static file: the site's
Content-Security-Policy allows no inline script). */
'use strict';
{
    const fold = function(text) {
        return String(text)
            .replace(/đ/g, 'd')
            .replace(/Đ/g, 'D')
            .normalize('NFD')
            .replace(/[\u0300-\u036f]/g, '');
    };

    const wrap = function() {
        const original = window.URLify;
        if (typeof original !== 'function' || original.foldsVietnamese) {
            return;
        }
        const folding = function(text, numChars, allowUnicode) {
            return original(fold(text), numChars, allowUnicode);
        };
        folding.foldsVietnamese = true;
        window.URLify = folding;
    };

    wrap();
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', wrap);
    }
    window.addEventListener('load', wrap);
}
