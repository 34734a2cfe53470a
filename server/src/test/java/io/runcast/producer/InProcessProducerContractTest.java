package io.runcast.producer;

import io.runcast.engine.InProcessProducer;
import io.runcast.server.RuncastServer;

/** The in-process producer passes the producer contract. */
class InProcessProducerContractTest extends RunProducerContract {
    @Override
    protected RunProducer newProducer(RuncastServer server) {
        return new InProcessProducer(server.engine());
    }
}
