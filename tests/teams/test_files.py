"""Policy export and import from Teams over HTTP (parity with Slack).

Export in a personal chat goes through a file consent card: accepting it (an invoke)
uploads the YAML to the upload URL Teams gives (the fake Bot Connector plays OneDrive)
and posts a file card; in a channel the YAML follows as a code block. Import takes the
file attached to `admin import`, fetched only from trusted hosts.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.policy.files import dump_policy
from bot.teams.incoming import FILE_INFO, trusted_url
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import ADMIN_AAD, USER_AAD, Served, text_of

CONSENT = "application/vnd.microsoft.teams.card.file.consent"


@pytest.fixture
async def served(serve: Any, teams_settings: Any) -> Served:
    return await serve(teams_settings())  # type: ignore[no-any-return]


def _attachment(connector: FakeBotConnector, name: str, content: str) -> dict[str, Any]:
    connector.files[name] = content.encode()
    return {"contentType": FILE_INFO, "name": name,
            "content": {"downloadUrl": f"{connector.url}files/{name}", "uniqueId": "u1",
                        "fileType": name.rsplit(".", 1)[-1]}}


async def test_export_in_a_personal_chat_asks_consent_then_uploads_the_file(
        served: Served, connector: FakeBotConnector) -> None:
    version = await served.runtime.store.policies.head_version()
    before = len(connector.sent)
    await served.say(connector, "admin export", aad=ADMIN_AAD)
    [consent] = [a for r in connector.sent[before:] for a in r.activity.get("attachments", [])
                 if a["contentType"] == CONSENT]
    name = f"ai-tool-policy-v{version}.yaml"
    assert consent["name"] == name
    assert consent["content"]["sizeInBytes"] > 100

    before = len(connector.sent)
    answer = await served.invoke(connector, "fileConsent/invoke", {
        "type": "fileUpload", "action": "accept", "context": consent["content"]["acceptContext"],
        "uploadInfo": {"name": name, "uploadUrl": f"{connector.url}upload/{name}",
                       "contentUrl": f"https://contoso.sharepoint.com/{name}",
                       "uniqueId": "item-1", "fileType": "yaml"}}, aad=ADMIN_AAD)
    assert answer is None
    uploaded = connector.uploads[name].decode()
    assert "tools:" in uploaded
    assert "chatgpt-enterprise" in uploaded
    [info] = [a for r in connector.sent[before:] for a in r.activity.get("attachments", [])]
    assert info["contentType"] == "application/vnd.microsoft.teams.card.file.info"
    assert info["content"]["uniqueId"] == "item-1"
    audit = [e for e in await served.runtime.store.audit.recent() if e.action == "export"]
    assert audit
    assert all(e.actor == ADMIN_AAD for e in audit)


async def test_export_consent_is_checked_again_when_accepted(
        served: Served, connector: FakeBotConnector) -> None:
    """Accepting someone else's consent card does not upload the policy for a non-admin."""
    before = len(connector.sent)
    await served.say(connector, "admin export", aad=ADMIN_AAD)
    [consent] = [a for r in connector.sent[before:] for a in r.activity.get("attachments", [])
                 if a["contentType"] == CONSENT]
    await served.invoke(connector, "fileConsent/invoke", {
        "type": "fileUpload", "action": "accept", "context": consent["content"]["acceptContext"],
        "uploadInfo": {"name": "x.yaml", "uploadUrl": f"{connector.url}upload/x.yaml",
                       "uniqueId": "i", "fileType": "yaml"}}, aad=USER_AAD)
    assert connector.uploads == {}
    assert "admin" in text_of(connector.sent[-1].activity).lower()


async def test_export_in_a_channel_sends_the_yaml_as_a_code_block(
        served: Served, connector: FakeBotConnector) -> None:
    before = len(connector.sent)
    await served.say(connector, "<at>AI Tool Concierge</at> admin export", aad=ADMIN_AAD,
                     conversation_id="19:it@thread.tacv2;messageid=5",
                     conversation_type="channel")
    texts = [r.activity.get("text") or "" for r in connector.sent[before:]]
    [code] = [t for t in texts if "```" in t]
    assert "chatgpt-enterprise" in code
    assert not any(a["contentType"] == CONSENT for r in connector.sent[before:]
                   for a in r.activity.get("attachments", []))


async def test_admin_import_with_an_attached_file_saves_a_new_version(
        served: Served, connector: FakeBotConnector) -> None:
    store = served.runtime.store
    live = await store.policies.current()
    assert live is not None
    changed = live.policy.model_copy(update={"tools": [
        t.model_copy(update={"summary": "Imported from Teams."}) if t.id == "deepl-pro" else t
        for t in live.policy.tools]})
    draft = _attachment(connector, "policy.yaml", dump_policy(changed))

    [refused] = await served.say(connector, "admin import", aad=USER_AAD, attachments=[draft])
    assert "admin" in text_of(refused).lower()
    assert await store.policies.head_version() == live.version

    [usage] = await served.say(connector, "admin import", aad=ADMIN_AAD)
    assert "import" in text_of(usage).lower()  # no file: how to send one

    await served.say(connector, "admin import", aad=ADMIN_AAD, attachments=[draft])
    now = await store.policies.current()
    assert now is not None
    assert now.version == live.version + 1
    assert now.policy.tool("deepl-pro").summary == "Imported from Teams."

    bad = _attachment(connector, "bad.yaml", "tools: [{id: Bad Id}]\n")
    [invalid] = await served.say(connector, "admin import", aad=ADMIN_AAD, attachments=[bad])
    assert "Nothing was changed" in text_of(invalid)
    assert await store.policies.head_version() == live.version + 1


async def test_files_are_fetched_only_from_trusted_hosts_over_https(
        served: Served, connector: FakeBotConnector) -> None:
    assert trusted_url("https://contoso.sharepoint.com/sites/it/policy.yaml")
    assert trusted_url("https://contoso-my.sharepoint.com/personal/x/policy.yaml")
    assert not trusted_url("http://contoso.sharepoint.com/policy.yaml")
    assert not trusted_url("https://sharepoint.com.evil.example/policy.yaml")
    assert not trusted_url("https://169.254.169.254/latest/meta-data")
    assert not trusted_url("http://127.0.0.1:8080/x")  # loopback only in dev mode
    assert trusted_url("http://127.0.0.1:8080/x", allow_loopback_http=True)

    evil = {"contentType": FILE_INFO, "name": "policy.yaml",
            "content": {"downloadUrl": "https://attacker.example/policy.yaml"}}
    [refused] = await served.say(connector, "admin import", aad=ADMIN_AAD, attachments=[evil])
    assert "SharePoint" in text_of(refused)
    big = _attachment(connector, "big.yaml", "# pad\n" * 200_000)
    [too_big] = await served.say(connector, "admin whatif", aad=ADMIN_AAD, attachments=[big])
    assert "larger than 1 MB" in text_of(too_big)


async def test_an_upload_url_off_microsofts_hosts_is_refused_politely(
        served: Served, connector: FakeBotConnector) -> None:
    before = len(connector.sent)
    await served.say(connector, "admin export", aad=ADMIN_AAD)
    [consent] = [a for r in connector.sent[before:] for a in r.activity.get("attachments", [])
                 if a["contentType"] == CONSENT]
    answer = await served.invoke(connector, "fileConsent/invoke", {
        "type": "fileUpload", "action": "accept", "context": consent["content"]["acceptContext"],
        "uploadInfo": {"name": "p.yaml", "uploadUrl": "https://uploads.attacker.example/p.yaml",
                       "uniqueId": "i", "fileType": "yaml"}}, aad=ADMIN_AAD)
    assert answer is None
    assert connector.uploads == {}
    assert "couldn't save the file" in text_of(connector.sent[-1].activity)
