from django.urls import reverse

from .factories import adopted_agreement, adopted_general_part


def test_pages_render(client, adviser, region):
    adopted_general_part(region.host_county)
    agreement = adopted_agreement(region)
    client.force_login(adviser)
    for url in [
        reverse("partnerships:index"),
        agreement.get_absolute_url(),
        reverse("partnerships:agreement-pdf", args=[agreement.pk]),
        agreement.general_part.get_absolute_url(),
        agreement.special_part.get_absolute_url(),
        reverse("partnerships:special-part-history", args=[agreement.special_part_id]),
        reverse("partnerships:general-part-history", args=[agreement.general_part_id]),
        reverse("partnerships:special-part-negotiation", args=[agreement.special_part_id]),
        reverse("partnerships:special-part-edit", args=[agreement.special_part_id]),
        reverse("partnerships:general-part-edit", args=[agreement.general_part_id]),
        reverse("partnerships:agreement-create"),
        reverse("core:home"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
