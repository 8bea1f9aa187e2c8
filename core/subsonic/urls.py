from django.urls import path

from core.subsonic import views

urlpatterns = [path("rest/<str:name>", views.rest, name="subsonic")]
