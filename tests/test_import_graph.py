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
