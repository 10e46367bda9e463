"""Error pages (403, 404, 429, 500) look like the site, speak the reader's language, and offer a next step;
the language menu names every language in that language. DEBUG is off, as on any served site."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import include, path

pytestmark = pytest.mark.django_db

LANGUAGES = {
    # Accept-Language, <html lang>, words the page must show
    "en": ("en", ["Page not found", "Not allowed", "Something went wrong", "Home"]),
    "zh-hant": ("zh-Hant", ["找不到頁面", "無權訪問", "系統暫時出錯", "首頁"]),
    "zh-hans": ("zh-Hans", ["找不到页面", "无权访问", "系统暂时出错", "首页"]),
}


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("a bug in a view")


# This module is the URL configuration of its tests: the site's own, plus two views that fail on purpose.
urlpatterns = [
    path("test-errors/forbidden/", _forbidden),
    path("test-errors/broken/", _broken),
    path("", include("massline.urls")),
]


@pytest.fixture
def site(settings, client):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def _get(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    return response, response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_address_shows_the_styled_404_in_the_readers_language(site, language):
    lang_attr, (not_found, _no, _err, home) = LANGUAGES[language]
    response, page = _get(site, "/no-such-page/", language)
    assert response.status_code == 404
    assert f'<html lang="{lang_attr}">' in page and not_found in page and home in page
    assert "massline/massline.css" in page and 'class="site-header"' in page  # the site's look
    assert 'role="search"' in page and 'action="/requests/"' in page  # a way on: search the requests
    assert 'href="/submit/"' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_permission_denied_shows_the_styled_403(site, language):
    lang_attr, (_nf, not_allowed, _err, home) = LANGUAGES[language]
    response, page = _get(site, "/test-errors/forbidden/", language)
    assert response.status_code == 403
    assert f'<html lang="{lang_attr}">' in page and not_allowed in page and home in page
    assert 'href="/staff/login/?next=/test-errors/forbidden/"' in page  # visitors may be staff not signed in


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_crash_shows_the_self_contained_500(site, language):
    lang_attr, (_nf, _na, went_wrong, home) = LANGUAGES[language]
    response, page = _get(site, "/test-errors/broken/", language)
    assert response.status_code == 500
    assert f'<html lang="{lang_attr}">' in page and went_wrong in page and home in page
    assert 'href="/static/massline/massline.css"' in page
    assert "Traceback" not in page and "a bug in a view" not in page


def test_the_500_page_renders_without_a_request_or_a_database(django_db_blocker):
    """Django renders 500.html with an empty context; it must not need the database either."""
    from django.template import loader
    from django.utils import translation

    with django_db_blocker.block(), translation.override("zh-hant"):
        page = loader.get_template("500.html").render()
    assert "系統暫時出錯" in page and '<html lang="zh-Hant">' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_outside_their_unit_get_the_styled_403_with_their_queue(site, make_request, category, language):
    """A unit's staff opening another unit's request (e.g. one transferred away) is refused politely."""
    from massline.workflow import actions as wf

    req = make_request()
    wf.do_dispatch(req, wf.Actor.of(_user("dispatcher")), category=category)
    site.force_login(_user("staff-transport"))
    lang_attr, (_nf, not_allowed, _err, _home) = LANGUAGES[language]
    response, page = _get(site, f"/staff/r/{req.reference}/", language)
    assert response.status_code == 403
    assert f'<html lang="{lang_attr}">' in page and not_allowed in page
    assert 'href="/staff/"' in page  # back to the queue
    assert "staff/login" not in page.split('id="main"')[1]  # already signed in: no sign-in offer


def _user(name):
    from django.contrib.auth.models import User

    return User.objects.get(username=name)


def test_the_throttle_page_is_styled_and_translated(rf):
    from django.utils import translation

    from massline.security.throttle import too_many

    request = rf.get("/submit/")
    request.user = None
    with translation.override("zh-hans"):
        response = too_many(request, 120)
    page = response.content.decode()
    assert response.status_code == 429 and 'class="site-header"' in page and "首页" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_menu_names_each_language_in_itself(client, language):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    menu = page.split('id="lang-select"')[1].split("</select>")[0]
    assert '<option value="en" lang="en"' in menu and ">English</option>" in menu
    assert ">繁體中文</option>" in menu and ">简体中文</option>" in menu
    for translated in ("英文", "英語", "英语", "Traditional Chinese", "Simplified Chinese"):
        assert translated not in menu
