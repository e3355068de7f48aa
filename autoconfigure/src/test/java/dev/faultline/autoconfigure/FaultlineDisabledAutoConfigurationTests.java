package dev.faultline.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.faultline.actuate.FaultlineEndpoint;
import dev.faultline.actuate.PeerMetrics;
import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctionInterceptor;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.TimeLimitScheduler;
import dev.faultline.peer.HeartbeatMonitor;
import dev.faultline.peer.http.PassiveHeartbeatObservationHandler;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.http.PeerRestClients;
import dev.faultline.peer.TestPeerServer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * With {@code faultline.enabled=false} an application that injects Faultline's API still
 * starts and works, unprotected: calls run directly, peers are called on their first
 * instance, and nothing watches them.
 */
class FaultlineDisabledAutoConfigurationTests {

	private TestPeerServer primary;

	private TestPeerServer standby;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void startPeers() {
		this.primary = TestPeerServer.start();
		this.standby = TestPeerServer.start();
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
					BootAutoConfigurations.HTTP_MESSAGE_CONVERTERS, BootAutoConfigurations.REST_CLIENT,
					EndpointAutoConfiguration.class, BootAutoConfigurations.METRICS,
					BootAutoConfigurations.COMPOSITE_METER_REGISTRY, BootAutoConfigurations.BULKHEADS,
					BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class,
					PeerHealthContributorAutoConfiguration.class, PeerMetricsAutoConfiguration.class,
					BusinessFunctionAutoConfiguration.class, FaultlineEndpointAutoConfiguration.class,
					FaultlineDisabledAutoConfiguration.class))
			.withUserConfiguration(CheckoutConfiguration.class)
			.withPropertyValues("faultline.enabled=false", "management.endpoints.web.exposure.include=faultline",
					"faultline.peers.payment-service.instances[0]=" + this.primary.uri(),
					"faultline.peers.payment-service.instances[1]=" + this.standby.uri(),
					"faultline.peers.payment-service.heartbeat.interval=100ms",
					"faultline.functions.payment.peer=payment-service", "faultline.functions.delivery=");
	}

	@AfterEach
	void stopPeers() {
		this.primary.close();
		this.standby.close();
	}

	@Test
	void applicationInjectingFunctionsAndPeerClientsStartsAndCallsThePeerDirectly() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			Checkout checkout = context.getBean(Checkout.class);
			Thread caller = Thread.currentThread();

			assertThat(checkout.pay()).isEqualTo("{\"status\":\"UP\"}");
			assertThat(checkout.lastThread).isSameAs(caller);
			assertThat(checkout.payLater().get(5, TimeUnit.SECONDS)).isEqualTo("{\"status\":\"UP\"}");
			assertThat(checkout.lastThread).isSameAs(caller);
			assertThat(this.primary.requests()).isEqualTo(2);
		});
	}

	@Test
	void callsPassTheirExceptionsThroughAsThrownWithoutTheFallback() {
		this.contextRunner.run((context) -> {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			assertThat(functions.isPassThrough()).isTrue();
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> functions.call("payment", () -> {
				throw new IOException("declined");
			}, (cause) -> "pending")).withMessage("declined");
			CompletableFuture<String> failed = functions.callAsync("payment",
					() -> CompletableFuture.failedFuture(new IllegalStateException("declined")),
					(cause) -> CompletableFuture.completedFuture("pending"));
			assertThat(failed).failsWithin(Duration.ofSeconds(5))
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(IllegalStateException.class);
			assertThatIllegalArgumentException().isThrownBy(() -> functions.call("stock", () -> 1, (cause) -> 0))
				.withMessageContaining("'stock'")
				.withMessageContaining("[payment, delivery]");
			assertThatIllegalStateException().isThrownBy(() -> functions.get("payment"))
				.withMessageContaining("faultline.enabled=false");
			assertThat(functions.contains("delivery")).isTrue();
			assertThat(functions.getFunctions()).isEmpty();
		});
	}

	@Test
	void businessFunctionMethodsRunAsPlainMethods() {
		this.contextRunner.run((context) -> {
			Checkout checkout = context.getBean(Checkout.class);
			assertThat(AopUtils.isAopProxy(checkout)).isFalse();
			assertThatIllegalStateException().isThrownBy(checkout::deliver).withMessage("no courier");
			assertThat(checkout.lastThread).isSameAs(Thread.currentThread());
			assertThat(checkout.deliverLater()).failsWithin(Duration.ofSeconds(5))
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(IllegalStateException.class);
		});
	}

	@Test
	void peersAreCalledOnTheirFirstInstanceOnlyAndNeverProbed() {
		this.contextRunner.run((context) -> {
			Checkout checkout = context.getBean(Checkout.class);
			checkout.pay();
			// Ten heartbeat intervals: with Faultline enabled, each would have probed.
			Thread.sleep(1000);
			assertThat(this.primary.requests()).isEqualTo(1);
			assertThat(this.standby.requests()).isZero();

			this.primary.stop();
			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(checkout::pay);
			assertThat(this.standby.requests()).isZero();
		});
	}

	@Test
	void nothingElseOfFaultlinesIsThere() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(PeerRegistry.class)
				.doesNotHaveBean(HeartbeatMonitor.class)
				.doesNotHaveBean(PassiveHeartbeatObservationHandler.class)
				.doesNotHaveBean(TimeLimitScheduler.class)
				.doesNotHaveBean(BusinessFunctionInterceptor.class)
				.doesNotHaveBean(FaultlineEndpoint.class)
				.doesNotHaveBean(PeerMetrics.class)
				.doesNotHaveBean("peersHealthContributor");
			assertThat(context.getBean(CircuitBreakerRegistry.class).getAllCircuitBreakers()).isEmpty();
		});
	}

	@Test
	void configurationIsStillValidated() {
		this.contextRunner.withPropertyValues("faultline.functions.stock.peer=warehouse")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must name a peer declared under faultline.peers [payment-service]"));
	}

	@Test
	void userDefinedBeansBackOff() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(BusinessFunctions.class)).isSameAs(UserBeans.FUNCTIONS);
			assertThat(context.getBean(PeerRestClients.class)).isSameAs(context.getBean("userClients"));
		});
	}

	@Test
	void enabledFaultlineLeavesThisOut() {
		this.contextRunner.withPropertyValues("faultline.enabled=true").run((context) -> {
			assertThat(context.getBean(BusinessFunctions.class).isPassThrough()).isFalse();
			// What the disabled one leaves out is there with the same configuration.
			assertThat(context).hasSingleBean(PeerRegistry.class)
				.hasSingleBean(PeerRestClients.class)
				.hasSingleBean(FaultlineEndpoint.class)
				.hasSingleBean(PeerMetrics.class)
				.hasBean("peersHealthContributor");
			assertThat(AopUtils.isAopProxy(context.getBean(Checkout.class))).isTrue();
		});
	}

	/**
	 * What an application writes: Faultline's API injected, used both ways.
	 */
	static class Checkout {

		private final BusinessFunctions functions;

		private final PeerRestClients peers;

		volatile Thread lastThread;

		Checkout(BusinessFunctions functions, PeerRestClients peers) {
			this.functions = functions;
			this.peers = peers;
		}

		String pay() {
			return this.functions.call("payment", this::charge, (cause) -> "pending");
		}

		CompletableFuture<String> payLater() {
			return this.functions.callAsync("payment", () -> CompletableFuture.completedFuture(charge()),
					(cause) -> CompletableFuture.completedFuture("pending"));
		}

		private String charge() {
			this.lastThread = Thread.currentThread();
			return this.peers.get("payment-service").get().uri("/payments").retrieve().body(String.class);
		}

		@BusinessFunction(value = "delivery", fallbackMethod = "later")
		public String deliver() {
			this.lastThread = Thread.currentThread();
			throw new IllegalStateException("no courier");
		}

		String later(Throwable cause) {
			return "later";
		}

		@BusinessFunction(value = "delivery", fallbackMethod = "laterAsync")
		public CompletionStage<String> deliverLater() {
			return CompletableFuture.failedFuture(new IllegalStateException("no courier"));
		}

		CompletionStage<String> laterAsync(Throwable cause) {
			return CompletableFuture.completedFuture("later");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CheckoutConfiguration {

		@Bean
		Checkout checkout(BusinessFunctions functions, PeerRestClients peers) {
			return new Checkout(functions, peers);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final BusinessFunctions FUNCTIONS = BusinessFunctions.passThrough(List.of("payment"));

		@Bean
		BusinessFunctions userFunctions() {
			return FUNCTIONS;
		}

		@Bean(destroyMethod = "close")
		PeerRestClients userClients() {
			return PeerRestClients.direct(Map.of(), RestClient::builder,
					(peer) -> new SimpleClientHttpRequestFactory());
		}

	}

}
