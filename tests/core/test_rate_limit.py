"""Sign-in requests are rate limited (in memory, and in Redis when configured)."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import REDIS_URL


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def app_config(request):
    config = {"RATELIMIT_ENABLED": True, "SIGNIN_RATE_LIMIT": "3 per minute"}
    if request.param == "redis":
        import redis

        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.ConnectionError as error:
            pytest.fail(f"Redis is required and unreachable at {REDIS_URL}: {error}")
        config["RATELIMIT_STORAGE_URI"] = REDIS_URL
        # A fresh key prefix per test so runs do not share counters.
        config["RATELIMIT_KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    return config


def test_too_many_sign_in_requests_get_429_with_a_translated_page(app, client):
    from eraati.extensions import limiter

    limiter.reset()
    headers = {"Accept-Language": "fi"}
    for number in range(3):
        response = client.post("/sign-in", data={"email": f"p{number}@example.fi"})
        assert response.status_code == 302
    blocked = client.post("/sign-in", data={"email": "p4@example.fi"}, headers=headers)
    assert blocked.status_code == 429
    assert "liian monta kertaa" in blocked.get_data(as_text=True)
    assert blocked.headers.get("Retry-After")
    # Reading the page is not limited.
    assert client.get("/sign-in").status_code == 200
