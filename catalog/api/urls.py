from rest_framework.routers import SimpleRouter

from catalog.api.views import OrderViewSet, ProductViewSet, ReviewViewSet, StoreViewSet

router = SimpleRouter()
router.register("tiendas", StoreViewSet, basename="store")
router.register("productos", ProductViewSet, basename="product")
router.register("pedidos", OrderViewSet, basename="order")
router.register("resenas", ReviewViewSet, basename="review")

urlpatterns = router.urls
