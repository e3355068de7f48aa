package dev.faultline.sample.payment.payments;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * The amount of a {@link PaymentRequest} has no more decimals than its currency: two for
 * EUR, USD, GBP and CHF, none for JPY. A currency that is not accepted is held to two; its
 * own violation says what is accepted.
 */
@Documented
@Constraint(validatedBy = AmountFitsCurrencyValidator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@interface AmountFitsCurrency {

	String message() default "has more decimals than the currency allows";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
