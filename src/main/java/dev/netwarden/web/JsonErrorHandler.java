package dev.netwarden.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Errors Jetty answers itself (a malformed request line, an ambiguous encoded path like
 * {@code %2F} or {@code ..}, a header too large) as the API answers its own: {@code {"error": …}}
 * with the security headers, never an HTML page echoing the request.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        SecurityHeaders.apply(response.getHeaders(), true);
        String reason = HttpStatus.getMessage(code);
        String text = code == 400 ? "bad request: " + (message == null || message.isBlank() ? reason : message) : reason;
        byte[] body = Json.bytes(Json.object().put("error", text));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ApiResponse.JSON_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
