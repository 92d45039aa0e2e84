package io.catchment.server.api;

import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.server.http.RateTier;
import io.catchment.tenancy.AccessTokens;
import io.catchment.tenancy.TokenPair;
import java.util.List;

/** {@code /auth/v1/*}: minting customer access tokens (and, beyond Carbon, refreshing them). */
public final class AuthApi {
    private final AccessTokens tokens;

    public AuthApi(AccessTokens tokens) {
        this.tokens = tokens;
    }

    record TokenResponse(String accessToken, String refreshToken) {
        static TokenResponse of(TokenPair pair) {
            return new TokenResponse(pair.accessToken(), pair.refreshToken());
        }
    }

    record RefreshRequest(String refreshToken) {}

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/auth/v1/access_token", Access.API_KEY_WITH_CUSTOMER, RateTier.UNTIERED, this::mint),
                ApiRoute.post("/auth/v1/refresh_access_token", Access.PUBLIC, RateTier.NONE, this::refresh));
    }

    private Object mint(Call call) {
        var caller = call.customer();
        return TokenResponse.of(tokens.mint(caller.customer().id(), caller.apiKeyId()));
    }

    private Object refresh(Call call) {
        RefreshRequest request = call.body(b -> new RefreshRequest(b.requiredString("refresh_token")));
        return tokens.refresh(request.refreshToken()).map(TokenResponse::of)
                .orElseThrow(() -> ApiError.unauthorized("Invalid refresh token (unknown, expired or already used)"));
    }
}
