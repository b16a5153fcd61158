"""The report page reads at most 12 queries (session and user included), on a small year and on one
with many more cases, meetings and membership changes, with and without the adviser's text."""

from django.urls import reverse

from .test_report import YEAR, _grow, _url, world  # noqa: F401  (the report's world fixture)

MAX_QUERIES = 12


def test_the_report_page_reads_at_most_twelve_queries(
    client,
    world,  # noqa: F811
    adviser,
    region,
    council_area,
    django_assert_max_num_queries,
):
    client.force_login(adviser)
    url = _url("reports:report", world["county"])
    client.get(url)  # the first request fills per-process caches
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url).status_code == 200
    _grow(region, adviser, council_area, 8)
    client.post(url, {"introduction": "Året var preget av NTP-arbeidet.", "assessment": ""})
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200 and "Året var preget av NTP-arbeidet." in response.content.decode()


def test_another_year_has_no_text_of_this_year(client, world, adviser):  # noqa: F811
    client.force_login(adviser)
    client.post(_url("reports:report", world["county"]), {"introduction": "Teksten for 2026.", "assessment": ""})
    other = reverse("reports:report", kwargs={"county": world["county"].pk, "year": YEAR - 1})
    assert "Teksten for 2026." not in client.get(other).content.decode()
    assert "Teksten for 2026." in client.get(_url("reports:report", world["county"])).content.decode()
