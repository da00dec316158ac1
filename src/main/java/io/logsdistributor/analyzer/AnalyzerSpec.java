package io.logsdistributor.analyzer;

import java.net.URI;

/** One analyzer as configured in analyzers.yaml. */
public record AnalyzerSpec(String id, URI url, double weight, URI healthUrl) {
}
