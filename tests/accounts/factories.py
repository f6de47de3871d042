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
