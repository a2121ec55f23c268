"""The one task on django-tasks' queue: run a Sidekel job (``core.jobs``) by its id.

The job's row says what to do; the queue only carries its id, so a job's state has one home.
"""

try:  # Django 6 has the tasks framework built in; on 5.2 it comes from the django-tasks backport
    from django.tasks import task
except ImportError:
    from django_tasks import task


@task()
def run_job(job_id):
    from .jobs import run

    run(job_id)
