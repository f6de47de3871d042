from rest_framework.routers import SimpleRouter

from rankings.api.views import ProductRankingViewSet, SellerRankingViewSet

router = SimpleRouter()
router.register("vendedores", SellerRankingViewSet, basename="ranking-seller")
router.register("productos", ProductRankingViewSet, basename="ranking-product")

urlpatterns = router.urls
