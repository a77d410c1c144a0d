"""Production settings: what refuses to start, what `check --deploy` wants, and the
Content-Security-Policy of every page."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

BASE = Path(__file__).resolve().parent.parent
# What the README's "Required in production" list names.
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 30 + "-not-the-development-key-" + "y" * 30,
    "DJANGO_ALLOWED_HOSTS": "press.example.org",
    "EMAIL_PROVIDER": "postmark",
    "ANYMAIL_POSTMARK_SERVER_TOKEN": "token",
    "ANYMAIL_WEBHOOK_SECRET": "presse:hook-secret",
}


def _run(args, env, tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ANYMAIL_"))}
    clean.pop("EMAIL_PROVIDER", None)
    clean.update({"DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run(
        [sys.executable, *args], cwd=BASE, env=clean, capture_output=True, text=True, timeout=120
    )


def _collected(tmp_path) -> Path:
    static = tmp_path / "static"
    static.mkdir()
    (static / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1"}))
    return static


def test_production_without_secret_key_refuses_to_start_with_one_line(tmp_path):
    env = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"}

    result = _run(["manage.py", "check"], env, tmp_path)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Presse refuses to start: DJANGO_DEBUG=0 needs DJANGO_SECRET_KEY (a long random "
        "string: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    ]


def test_check_deploy_passes_with_the_variables_the_readme_lists(tmp_path):
    env = {**PRODUCTION, "STATIC_ROOT": str(_collected(tmp_path))}

    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_and_the_wsgi_start_say_when_static_files_were_not_collected(tmp_path):
    env = {**PRODUCTION, "STATIC_ROOT": str(tmp_path / "empty")}

    check = _run(["manage.py", "check", "--deploy"], env, tmp_path)
    start = _run(["-c", "import press.wsgi"], env, tmp_path)

    assert check.returncode == 1
    assert "press.E001" in check.stderr
    assert "run `python manage.py collectstatic --noinput`" in check.stderr
    assert start.returncode == 1
    assert (
        start.stderr.strip()
        .splitlines()[-1]
        .startswith("Presse refuses to start: Static files have not been collected")
    )


# Content-Security-Policy ---------------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", ["/fr/", "/en/accreditation/", "/admin/login/"])
def test_every_page_has_a_strict_policy(client, event, url):
    response = client.get(url)

    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_back_office_pages_have_the_strict_policy(officer_client):
    response = officer_client.get("/admin/")

    policy = _directives(response["Content-Security-Policy"])
    # The admin's own templates ask for a nonce for their scripts: still no inline code.
    assert [v for v in policy["script-src"] if not v.startswith("'nonce-")] == ["'self'"]
    assert policy["style-src"] == ["'self'"]


def test_only_the_release_editor_gets_inline_scripts_and_styles(officer_client):
    editor = officer_client.get("/admin/releases/release/add/")
    listing = officer_client.get("/admin/releases/release/")

    policy = _directives(editor["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in listing["Content-Security-Policy"]


def test_public_templates_have_no_inline_script_or_style():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)
    offenders = [
        str(path.relative_to(BASE))
        for folder in django_settings.TEMPLATES[0]["DIRS"]
        for path in Path(folder).rglob("*.html")
        if "emails" not in path.parts and inline.search(path.read_text())
    ]

    assert offenders == []
