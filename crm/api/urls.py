from rest_framework.routers import SimpleRouter

from crm.api.views import CustomerViewSet

router = SimpleRouter()
router.register("clientes", CustomerViewSet, basename="crm-customer")

urlpatterns = router.urls
