import factory

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    # Hashed before the insert (a post-generation set_password would not be
    # saved with skip_postgeneration_save).
    password = factory.django.Password("S3guro!pass")


def access_token_for(user: User) -> str:
    """Open a session for ``user`` and return its access token.

    Tokens must belong to a session (``family`` claim): a bare
    ``AccessToken.for_user`` is refused by ``FamilyJWTAuthentication``.
    """
    from accounts.services import ClientInfo, token_family_create

    pair = token_family_create(user=user, client=ClientInfo("127.0.0.1", "tests"))
    return pair.access
