package io.logsdistributor.ingest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Builds the small JSON answers of /ingest by hand: cheaper than an ObjectMapper on every request. */
final class JsonText {

    private JsonText() {
    }

    static String quote(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }
}
