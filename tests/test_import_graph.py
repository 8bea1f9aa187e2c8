"""The rooms' arrows go one way: core uses media_pipeline, media_pipeline never uses core."""

from scripts import import_graph


def test_media_pipeline_imports_nothing_from_core():
    assert import_graph.violations() == []


def test_the_graph_sees_imports_inside_functions():
    places = import_graph.edges()[("core.catalog", "core.processing")]
    # TrackQuerySet.with_variant_flags imports TrackVariant in its body.
    assert any(place.startswith("core/catalog/querysets.py:") for place in places)


def test_an_import_of_core_from_media_pipeline_is_reported():
    graph = {
        ("media_pipeline", "core.catalog"): ["media_pipeline/audio/probe.py:3"],
        ("core.processing", "media_pipeline"): ["core/processing/run.py:30"],
    }
    assert import_graph.violations(graph) == [
        "media_pipeline/audio/probe.py:3 imports core.catalog"
    ]


def test_an_import_of_recommendations_from_a_room_it_reads_is_reported():
    graph = {
        ("core.library", "core.recommendations"): ["core/library/services.py:9"],
        ("core.recommendations", "core.library"): ["core/recommendations/sources.py:80"],
    }
    assert import_graph.violations(graph) == [
        "core/library/services.py:9 imports core.recommendations"
    ]


def test_listens_from_elsewhere_are_imported_by_the_edges_only():
    """history_import and portability build on library, insights and playlists; those rooms know
    nothing of them (only the URL and model wiring, and the account's DELETE, reach in)."""
    graph = import_graph.edges()
    reaching_in = {
        source
        for (source, target) in graph
        if target in {"core.history_import", "core.portability"} and source != target
    }
    assert reaching_in <= {
        "config",
        "core.models",
        "core.admin",
        "core.accounts",
        "core.management",
    }
    assert ("core.portability", "core.history_import") not in graph


def test_other_rooms_ask_the_artists_room_who_may_act_never_call_its_services():
    """Uploads and catalog ask `core.artists.permissions`, other rooms read through its
    selectors (and models); only the wiring (core/apps.py: receivers; core/admin.py) imports
    more of the room."""
    wiring = ("core/apps.py:", "core/admin.py:")
    entries = import_graph.imports_into("core.artists")
    rooms = [(place, module) for place, module in entries if not place.startswith(wiring)]

    assert {module for _, module in rooms} <= {
        "core.artists.permissions",
        "core.artists.models",
        "core.artists.selectors",
    }
    assert any(place.startswith("core/uploads/registration.py") for place, _ in rooms)
    assert any(place.startswith("core/apps.py") for place, _ in entries)


def test_the_ratings_room_depends_on_the_catalog_only():
    graph = import_graph.edges()
    targets = {target for source, target in graph if source == "core.ratings"}

    assert targets <= {"core.catalog", "core.api", "config"}
