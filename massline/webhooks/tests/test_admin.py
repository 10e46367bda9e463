"""Webhooks are set up by administrators only, in the console or with `massline webhook`; every change is
in the console's change log without the secret, and bad input is refused with the reason."""

import pytest
from django.urls import reverse
from django.utils import translation

from massline.cli import main
from massline.console.models import ConfigEvent
from massline.webhooks.models import WebhookSubscription

pytestmark = pytest.mark.django_db
PAGE = "/staff/console/webhooks/"


def test_the_cli_adds_lists_switches_and_removes(capsys):
    assert (
        main(["webhook", "add", "https://dash.example.org/in", "--events", "submit,reply", "--name", "dash"])
        == 0
    )
    out = capsys.readouterr()
    secret = out.out.strip()
    sub = WebhookSubscription.objects.get(name="dash")
    assert sub.secret == secret and len(secret) >= 40 and sub.events == ["reply", "submit"]
    assert main(["webhook", "list"]) == 0
    listed = capsys.readouterr().out
    assert "dash\thttps://dash.example.org/in\treply,submit\ton" in listed and secret not in listed
    assert main(["webhook", "disable", "dash"]) == 0
    assert WebhookSubscription.objects.get(name="dash").active is False
    assert capsys.readouterr().out == "webhook 'dash' is off\n"
    assert main(["webhook", "rotate", "dash"]) == 0
    assert WebhookSubscription.objects.get(name="dash").secret == capsys.readouterr().out.strip() != secret
    assert main(["webhook", "remove", "dash"]) == 0
    assert not WebhookSubscription.objects.exists()
    events = list(ConfigEvent.objects.filter(object_type="webhook").order_by("id"))
    assert [e.action for e in events] == [
        "webhook.create",
        "webhook.update",
        "webhook.update",
        "webhook.delete",
    ]
    assert all(e.actor_label == "massline webhook" for e in events)
    assert not any(secret in str(e.before) + str(e.after) for e in events)
    assert events[2].before["secret"] != events[2].after["secret"]  # a new secret shows as a change


@pytest.mark.parametrize(
    "argv, message",
    [
        (["webhook", "add", "ftp://x.example.org/", "--events", "submit"], "starts with https:// or http://"),
        (["webhook", "add", "https://x.example.org/", "--events", "submit,accept"], "Unknown event accept"),
        (["webhook", "add", "https://u:p@x.example.org/", "--events", "*"], "no password in the address"),
        (["webhook", "add", "https://x.example.org/", "--events", "*", "--secret", "short"], "at least 16"),
        (["webhook", "disable", "nobody"], "There is no webhook named nobody"),
    ],
)
def test_the_cli_refuses_bad_input_with_the_reason(argv, message, capsys):
    with translation.override("en"):  # the command speaks the site's language (LANGUAGE_CODE)
        assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("massline webhook: ") and message in err
    assert not WebhookSubscription.objects.exists()


def test_an_administrator_creates_a_webhook_and_sees_the_secret_once(client, staff):
    client.force_login(staff["admin"])
    page = client.post(
        PAGE, {"name": "city-dash", "url": "https://dash.example.org/in", "events": ["submit", "reply"]}
    )
    assert page.status_code == 200
    sub = WebhookSubscription.objects.get(name="city-dash")
    assert sub.secret in page.content.decode()
    again = client.get(PAGE).content.decode()
    assert "city-dash" in again and sub.secret not in again
    assert ConfigEvent.objects.filter(action="webhook.create", actor=staff["admin"]).exists()
    refused = client.post(PAGE, {"name": "other", "url": "https://o.example.org/", "events": []})
    assert refused.status_code == 400 and not WebhookSubscription.objects.filter(name="other").exists()
    client.post(reverse("webhooks:change", args=[sub.pk, "switch"]))
    assert WebhookSubscription.objects.get(pk=sub.pk).active is False


def test_only_administrators_reach_the_page(client, staff):
    for name in ("dispatcher", "supervisor", "discipline"):
        client.force_login(staff[name])
        assert client.get(PAGE).status_code == 403
        assert (
            client.post(PAGE, {"name": "x", "url": "https://x.example.org/", "events": ["*"]}).status_code
            == 403
        )
    client.logout()
    assert client.get(PAGE).status_code == 302
    assert not WebhookSubscription.objects.exists()


def test_the_page_speaks_the_readers_language(client, staff):
    client.force_login(staff["admin"])
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = client.get(PAGE).content.decode()
    assert "推送紀錄" in page and "尚無 Webhook。" in page
    refused = client.post(PAGE, {"name": "x", "url": "https://u:p@x.example.org/", "events": ["*"]})
    assert "位址中請勿包含密碼" in refused.content.decode()
