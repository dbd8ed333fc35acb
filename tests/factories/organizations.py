"""Factories of users, streets, organizations and memberships."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from organizations.credit_code import make_code
from organizations.models import Membership, Organization, Street, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=role)[0])


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"310104{n:03d}")
    name = factory.Sequence(lambda n: f"测试街道{n}")
    district = "徐汇区"


def valid_code(n: int) -> str:
    return make_code(f"52310104MJ{n:07d}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试社会组织{n}")
    credit_code = factory.Sequence(lambda n: valid_code(n + 100))
    legal_representative = factory.Sequence(lambda n: f"法定代表人{n}")
    address = "上海市徐汇区测试路1号"
    street = factory.SubFactory(StreetFactory)
    contact_name = "李四"
    contact_phone = "021-64000000"
    status = Organization.Status.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
