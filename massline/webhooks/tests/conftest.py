import pytest

from .receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


@pytest.fixture
def subscribe(receiver):
    """subscribe(events, **kw): a webhook to the test receiver, made through the actions."""
    from massline.console.actions import ConsoleActor
    from massline.webhooks.actions import create_subscription

    def make(events="*", name="receiver", url=None, secret=None):
        sub, _secret = create_subscription(
            ConsoleActor.command("test"),
            name=name,
            url=url or receiver.url,
            events=events,
            secret=secret or receiver.secret,
        )
        return sub

    return make
