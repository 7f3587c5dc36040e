package io.pcapreplay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void shouldEscapeSpecialCharactersWhenWritingStrings() {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 separator \u2028 é";

        String json = new JsonWriter().beginObject().member("text", nasty).endObject().toString();

        assertThat(json).isEqualTo("{\"text\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007 "
            + "separator \\u2028 é\"}");
        assertThat(((Map<?, ?>) MiniJson.parse(json)).get("text")).isEqualTo(nasty);
    }

    @Test
    void shouldSeparateValuesWithCommasWhenNesting() {
        String json = new JsonWriter().beginObject()
            .member("a", 1).member("b", true).member("c", (String) null).member("d", 1.5)
            .name("list").beginArray().value(1).beginObject().endObject().beginArray().endArray().endArray()
            .member("nan", Double.NaN)
            .endObject().toString();

        assertThat(json).isEqualTo("{\"a\":1,\"b\":true,\"c\":null,\"d\":1.5,\"list\":[1,{},[]],\"nan\":null}");
        Map<?, ?> parsed = (Map<?, ?>) MiniJson.parse(json);
        assertThat((List<?>) parsed.get("list")).hasSize(3);
    }
}
