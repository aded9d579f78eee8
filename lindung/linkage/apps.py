from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "lindung.linkage"
    label = "linkage"
    verbose_name = "Pencocokan data"
