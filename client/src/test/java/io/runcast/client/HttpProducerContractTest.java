package io.runcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.producer.RunHandle;
import io.runcast.producer.RunProducer;
import io.runcast.producer.RunProducerContract;
import io.runcast.protocol.ServerLimits;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TcpProxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The HTTP producer passes the producer contract, and survives answers lost in transit. */
class HttpProducerContractTest extends RunProducerContract {
    @Override
    protected RunProducer newProducer(RuncastServer server) {
        return new HttpProducer(URI.create("http://127.0.0.1:" + server.port()));
    }

    @Test
    void limits_areTheOnesTheServerStates() throws Exception {
        assertThat(await(((HttpProducer) producer).limits()))
                .isEqualTo(new ServerLimits(MAX_FRAME, LIMITS.maxBatch(), LIMITS.maxEventBytes(), LIMITS.maxNameLength()));
    }

    @Test
    void answersLostInTransit_areRetriedWithTheSameKeys_nothingDoubled() throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port());
             HttpProducer p = new HttpProducer(URI.create("http://127.0.0.1:" + proxy.port()))) {
            RunHandle run = p.attach("c-lost");
            assertThat(await(run.emit(item(20, "warm")))).isEqualTo(1L); // limits asked, connection open
            proxy.dropAnswers(2);
            List<CompletionStage<Long>> seqs = new ArrayList<>();
            List<String> expected = new ArrayList<>(List.of("warm"));
            for (int i = 0; i < 30; i++) {
                seqs.add(run.emit(item(200, "e" + i)));
                expected.add("e" + i);
            }
            await(run.flush());
            assertThat(proxy.answersDropped()).isEqualTo(2);
            for (int i = 0; i < seqs.size(); i++) assertThat(await(seqs.get(i))).isEqualTo(i + 2L);
            assertThat(tags(stored("c-lost"))).containsExactlyElementsOf(expected);
        }
    }
}
