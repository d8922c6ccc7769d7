package io.stopplane.api.library;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopplane.api.publish.RecordWriter;
import io.stopplane.kafka.DeadLetters;
import io.stopplane.kafka.TopicDeclarations;
import io.stopplane.kafka.TopicFollower;
import io.stopplane.kafka.TopicsProperties;
import io.stopplane.model.library.LibraryCommand;
import io.stopplane.model.topic.Topics;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The command library: {@code command-library}, which the API owns (writes and declares), followed by every replica
 * from its beginning into its {@link CommandLibrary}; and {@code command-library-dlt}, where a record it cannot read
 * goes.
 */
@Configuration(proxyBeanMethods = false)
class LibraryConfig {

    @Bean
    CommandLibrary commandLibrary(RecordWriter writer) {
        return new CommandLibrary(writer);
    }

    @Bean
    TopicFollower libraryTopicReader(KafkaProperties kafka, CommandLibrary library, MeterRegistry meters,
            DeadLetters deadLetters) {
        return new TopicFollower(Topics.COMMAND_LIBRARY.name(), kafka.buildConsumerProperties(),
                TopicFollower.Table.ofJson(LibraryCommand.class, library::put, library::remove,
                        library::markReady),
                deadLetters, meters);
    }

    @Bean
    KafkaAdmin.NewTopics libraryTopics(TopicsProperties sizing) {
        return TopicDeclarations.topics(sizing, Topics.COMMAND_LIBRARY);
    }

    @Bean
    KafkaAdmin.NewTopics libraryDeadLetterTopics(TopicsProperties sizing) {
        return TopicDeclarations.deadLetters(sizing, Topics.COMMAND_LIBRARY);
    }

    /** UP once the library has been read to its end: a command missed then is missing. */
    @Bean
    HealthIndicator commandLibraryHealth(CommandLibrary library) {
        return () -> library.ready() ? Health.up().build()
                : Health.down().withDetail("commandLibrary", "catching up").build();
    }
}
