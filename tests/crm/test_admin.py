import pytest
from django.urls import reverse

from accounts.models import User
from catalog.importers import olist_import
from crm.models import Customer, CustomerExternalId
from tests.catalog.importers.olist_files import olist_files_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, tmp_path):
    olist_import(directory=olist_files_write(tmp_path))
    client.force_login(
        User.objects.create_superuser(email="jefe@example.com", password="S3guro!pass")
    )
    return client


def test_customer_list_finds_a_person_by_source_id(admin_client):
    response = admin_client.get(reverse("admin:crm_customer_changelist"), {"q": "u1"})

    assert response.status_code == 200
    assert [c.source_id for c in response.context["cl"].result_list] == ["u1"]


def test_customer_page_lists_the_per_order_ids(admin_client):
    person = Customer.objects.get(source_id="u1")

    page = admin_client.get(reverse("admin:crm_customer_change", args=[person.pk]))

    assert page.status_code == 200
    assert b"c1a" in page.content
    assert b"c1b" in page.content


def test_external_id_is_read_only_once_made(admin_client):
    link = CustomerExternalId.objects.get(external_id="c2")
    url = reverse("admin:crm_customerexternalid_change", args=[link.pk])

    page = admin_client.get(url)
    admin_client.post(url, {"customer": str(link.customer_id), "external_id": "x"})

    link.refresh_from_db()
    assert page.status_code == 200
    assert "external_id" not in page.context["adminform"].form.fields
    assert link.external_id == "c2"
