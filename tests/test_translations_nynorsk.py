"""Nynorsk (issue 13, item 4): every catalogue exists in nynorsk, complete, with the placeholders of
its English source, and a person who chooses nynorsk gets nynorsk pages, Django's own texts included."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
NB_CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/nb/LC_MESSAGES/django.po") if not {".venv", "node_modules"} & set(p.parts)
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|</?[a-zA-Z][^>]*>")
# Words that are bokmål, never nynorsk: a msgstr holding one was copied, not translated.
BOKMAL_ONLY = re.compile(
    r"\b(ikke|hvis|hva|hvordan|hvorfor|hvilke|også|bare|ennå|allerede|noen|uten|fagenheten)\b", re.I
)


def _nn(nb_path):
    return Path(str(nb_path).replace("/locale/nb/", "/locale/nn/"))


def _entries(po):
    return {(e.msgctxt, e.msgid, e.msgid_plural): e for e in po if not e.obsolete and e.msgid}


def _msgstrs(entry):
    if entry.msgid_plural:
        return [
            (entry.msgid if n == 0 else entry.msgid_plural, text) for n, text in sorted(entry.msgstr_plural.items())
        ]
    return [(entry.msgid, entry.msgstr)]


def _rel(path):
    return str(path.relative_to(ROOT))


def test_every_bokmal_catalogue_has_a_nynorsk_twin():
    assert len(NB_CATALOGUES) >= 8
    missing = [_rel(_nn(p)) for p in NB_CATALOGUES if not _nn(p).exists()]
    assert not missing, f"nynorsk catalogues missing: {missing}"


@pytest.mark.parametrize("nb_path", NB_CATALOGUES, ids=_rel)
def test_nynorsk_catalogue_translates_exactly_the_bokmal_msgids(nb_path):
    nb = _entries(polib.pofile(str(nb_path)))
    nn_po = polib.pofile(str(_nn(nb_path)))
    nn = _entries(nn_po)

    assert nn_po.metadata["Language"] == "nn"
    assert "nplurals=2" in nn_po.metadata["Plural-Forms"]
    assert not sorted(set(nb) - set(nn), key=str), (
        f"only in nb (translate into nynorsk): {sorted(set(nb) - set(nn), key=str)}"
    )
    assert not sorted(set(nn) - set(nb), key=str), f"only in nn (add to bokmål): {sorted(set(nn) - set(nb), key=str)}"
    problems = []
    for entry in nn.values():
        if entry.fuzzy:
            problems.append(f"fuzzy: {entry.msgid!r}")
        if entry.msgid_plural and len(entry.msgstr_plural) != 2:
            problems.append(f"needs two plural forms: {entry.msgid!r}")
        for source, text in _msgstrs(entry):
            if not text.strip():
                problems.append(f"untranslated: {source!r}")
            elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"placeholders differ: {source!r} -> {text!r}")
            elif BOKMAL_ONLY.search(text):
                problems.append(f"bokmål word {BOKMAL_ONLY.search(text).group()!r} in {text!r}")
    assert not problems, f"{_rel(_nn(nb_path))}:\n" + "\n".join(problems)


def test_the_switcher_offers_nynorsk_and_the_page_follows_it(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<option value="nn" lang="nn">Norsk (nynorsk)</option>' in page

    client.post(reverse("set_language"), {"language": "nn", "next": reverse("login")})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="nn">' in page
    assert "Regionportalen er for rådgivarane i fylkeskommunen" in page
    assert "Gløymt passordet?" in page
    assert "Byt språk" in page

    client.post(reverse("set_language"), {"language": "nb", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="nb">' in page and "Glemt passordet?" in page


def test_a_nynorsk_reader_gets_the_start_page_and_djangos_own_messages_in_nynorsk(client, leader):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"

    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert "Feltet er påkravd." in response.content.decode()  # Django's own nn catalogue

    client.force_login(leader)
    page = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="nn">' in page
    assert "Velkomen," in page
    assert "Logg ut" in page and "Varsel" in page


def test_a_person_who_chose_nynorsk_gets_nynorsk_pages_in_any_browser(client, leader):
    leader.language = "nn"
    leader.save(update_fields=["language"])
    client.force_login(leader)

    page = client.get(reverse("portal:home")).content.decode()  # no language cookie in this browser
    assert '<html lang="nn">' in page and "Velkomen," in page


def test_the_footer_switch_remembers_a_logged_in_persons_choice(client, leader):
    client.force_login(leader)
    client.post(reverse("set_language"), {"language": "nn", "next": reverse("portal:home")})
    leader.refresh_from_db()
    assert leader.language == "nn"

    client.cookies.clear()  # another browser, or the cookie gone: the person's choice still holds
    client.force_login(leader)
    assert '<html lang="nn">' in client.get(reverse("portal:home")).content.decode()

    client.post(reverse("set_language"), {"language": "xx", "next": reverse("portal:home")})
    leader.refresh_from_db()
    assert leader.language == "nn"  # an unknown language changes nothing


def test_a_person_chooses_nynorsk_on_their_account_page_and_can_go_back_to_the_default(client, leader):
    client.force_login(leader)
    page = client.get(reverse("password_change")).content.decode()
    assert '<select name="language"' in page and "Portalens standard (bokmål)" in page

    page = client.post(reverse("user_language"), {"language": "nn"}, follow=True).content.decode()
    leader.refresh_from_db()
    assert leader.language == "nn"
    assert '<html lang="nn">' in page and "Språket ditt er lagra." in page

    response = client.post(reverse("user_language"), {"language": "xx"}, follow=True)
    leader.refresh_from_db()
    assert response.status_code == 200 and leader.language == "nn"  # nothing changed
    assert "Vel bokmål, nynorsk, engelsk eller standarden i portalen." in response.content.decode()

    page = client.post(reverse("user_language"), {"language": ""}, follow=True).content.decode()
    leader.refresh_from_db()
    assert leader.language == "" and '<html lang="nb">' in page and "Språket ditt er lagret." in page
