def test_home_page_answers(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Lưu trữ" in response.content.decode()
