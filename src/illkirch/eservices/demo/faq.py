"""The demo FAQ, read from ``faq.json``."""

from pathlib import Path
from plone import api
from plone.app.textfield.value import RichTextValue

import json


FAQ_FILE = Path(__file__).parent / "faq.json"
FAQ_ID = "faq"


def load_faq_data():
    return json.loads(FAQ_FILE.read_text(encoding="utf-8"))


def create_faq(portal):
    """Create and publish the demo FAQ unless the site already has one."""
    if FAQ_ID in portal.objectIds():
        return portal[FAQ_ID]
    data = load_faq_data()
    faq = api.content.create(
        container=portal,
        type="FAQ",
        id=FAQ_ID,
        title=data["title"],
        description=data["description"],
        categories=data["categories"],
    )
    for entry in data["questions"]:
        question = api.content.create(
            container=faq,
            type="FAQQuestion",
            id=entry["id"],
            title=entry["question"],
            category=entry["category"],
            answer=RichTextValue(entry["answer"], "text/html", "text/x-html-safe"),
        )
        api.content.transition(obj=question, to_state="published")
    api.content.transition(obj=faq, to_state="published")
    return faq
