from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "massline.pagecache"
    label = "pagecache"

    def ready(self) -> None:
        from .invalidation import connect

        connect()
