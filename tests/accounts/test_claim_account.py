"""Students created by an import (no usable password) claim their account through password reset."""

import re

import pytest
from django.core import mail

from apps.accounts.models import User


@pytest.mark.django_db
def test_imported_student_can_claim_account_by_password_reset(client):
    user = User.objects.create_user(email="imported@example.com", password=None, full_name="李雷")
    assert not user.has_usable_password()
    response = client.post("/en/accounts/password/reset/", {"email": "Imported@Example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["imported@example.com"]
    link = re.search(r"https?://[^\s]+/password/reset/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1] if "testserver" in link else "/" + link.split("/", 3)[3]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
                       {"new_password1": "a-long-new-passphrase-2026", "new_password2": "a-long-new-passphrase-2026"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long-new-passphrase-2026")


@pytest.mark.django_db
def test_reset_for_unknown_or_inactive_email_sends_nothing(client):
    User.objects.create_user(email="gone@example.com", password=None, is_active=False)
    client.post("/en/accounts/password/reset/", {"email": "gone@example.com"})
    client.post("/en/accounts/password/reset/", {"email": "nobody@example.com"})
    assert mail.outbox == []
