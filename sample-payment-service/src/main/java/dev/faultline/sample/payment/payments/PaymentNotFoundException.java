package dev.faultline.sample.payment.payments;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * No payment has the requested id: answered with a 404 problem.
 */
public class PaymentNotFoundException extends ErrorResponseException {

	PaymentNotFoundException(String id) {
		super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No payment with id '"
				+ id + "'"), null);
	}

}
