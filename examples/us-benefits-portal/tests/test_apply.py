def test_apply():
    assert True
