"""Bench helper: a 10-question, one-page questionnaire, an open round, invitations.

Prints two JSON lines: the invitation paths, and the form data for each page.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta

from eraati import create_app
from eraati.accounts.models import User
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Membership, Organisation, Panel, Unit
from eraati.surveys import services
from eraati.surveys.models import (
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireItem,
    QuestionType,
)

#: (type, answer): all ten on one page, so one POST submits the questionnaire.
QUESTIONS = [
    (QuestionType.AGREEMENT, "agree"),
    (QuestionType.AGREEMENT, "somewhat_agree"),
    (QuestionType.AGREEMENT, "disagree"),
    (QuestionType.YES_NO, "yes"),
    (QuestionType.RECOMMEND, "8"),
    (QuestionType.SINGLE, "b"),
    (QuestionType.MULTIPLE, ["a", "c"]),
    (QuestionType.NUMBER, "42"),
    (QuestionType.TEXT, "Hyvä palvelu, kiitos."),
    (QuestionType.AGREEMENT, "somewhat_disagree"),
]
OPTIONS = [{"key": key, "label": {"fi": key.upper()}} for key in "abc"]


def main(respondents: int) -> None:
    app = create_app()
    with app.app_context(), app.test_request_context():
        panel = Panel(
            unit=Unit(
                organisation=Organisation(slug="bench", name={"fi": "B"}),
                name={"fi": "U"},
            ),
            name={"fi": "Raati"},
        )
        db.session.add(panel)
        questionnaire = Questionnaire(title={"fi": "Kysely"}, purpose={"fi": "Bench"})
        for index, (kind, _answer) in enumerate(QUESTIONS):
            question = Question(
                key=f"bench-{index}",
                type=kind,
                text={"fi": f"Kysymys {index}"},
                options=OPTIONS,
                max_choices=2,
            )
            questionnaire.items.append(
                QuestionnaireItem(
                    question=question, page=1, position=index, required=True
                )
            )
        db.session.add(questionnaire)
        users = [User(email=f"bench{n}@example.fi") for n in range(respondents + 1)]
        db.session.add_all(Membership(panel=panel, user=user) for user in users)
        db.session.flush()
        now = utcnow()
        round_ = services.schedule_round(
            questionnaire,
            now - timedelta(hours=1),
            now + timedelta(days=1),
            panel=panel,
        )
        services.open_round(round_, now)
        db.session.commit()
        links = [
            f"/s/i/{services.invitation_token(invitation)}"
            for invitation in db.session.query(Invitation).order_by(Invitation.id)
        ]
        form = {
            f"q{item.id}": answer
            for item, (_kind, answer) in zip(
                questionnaire.items, QUESTIONS, strict=True
            )
        }
        print(json.dumps(links))
        print(json.dumps([form]))


if __name__ == "__main__":
    main(int(sys.argv[1]))
