"""An organization's capacity record: training hours, incubation history,
qualifications, bids, wins, contracts and evaluation grades over the years."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors
from ..rules import OrgRef, can_update_qualifications
from .qualifications import organization_for


@login_required
def organization_record(request, org_pk):
    organization = organization_for(request.user, org_pk)
    record = selectors.organization_record(organization=organization)
    people = selectors.training_hours_by_person_year(organization_id=organization.pk)
    return render(
        request,
        "capacity/organization_record.html",
        {
            "organization": organization,
            "record": record,
            "people": people,
            "can_update_qualifications": can_update_qualifications(
                request.user, OrgRef(organization.pk)
            ),
        },
    )
