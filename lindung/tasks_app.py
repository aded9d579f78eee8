"""django_tasks_db under an Indonesian name in the admin ("Tugas latar", not "Tasks Database Backend").

Same app name and label, so its tables and migrations are untouched; only the title people read changes.
"""

from django_tasks_db.apps import TasksAppConfig


class TugasLatarConfig(TasksAppConfig):
    verbose_name = "Tugas latar (impor, pencocokan, SK)"
