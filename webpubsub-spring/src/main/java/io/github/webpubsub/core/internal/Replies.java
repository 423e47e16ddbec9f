package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.GroupMember;
import io.github.webpubsub.core.WebPubSubException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the answers of the operations that return data: the token of {@code generateClientToken}
 * and the pages of {@code listConnectionsInGroup}. Anything else than the documented shape is a
 * {@link WebPubSubException} naming the operation; a page's {@code nextLink} is followed only to
 * the origin the request went to.
 */
public final class Replies {

  private final URI endpoint;

  private final @Nullable URI reverseProxy;

  /**
   * Creates a reader for the answers of one service.
   *
   * @param endpoint the service endpoint
   * @param reverseProxy the reverse proxy requests go through, or {@code null}
   */
  public Replies(URI endpoint, @Nullable URI reverseProxy) {
    this.endpoint = endpoint;
    this.reverseProxy = reverseProxy;
  }

  /**
   * The token of a {@code generateClientToken} answer.
   *
   * @param request the request
   * @param response its answer
   * @return the token, never empty
   * @throws WebPubSubException when the answer has no token
   */
  public String token(WebPubSubRequest request, WebPubSubResponse response) {
    JsonNode json = object(request, response);
    String token = ReplyJson.text(json, "token");
    if (token == null || token.isEmpty()) {
      throw ErrorMapper.unreadable(request, this.endpoint, response, "no token in it", null);
    }
    return token;
  }

  /**
   * One page of {@code listConnectionsInGroup}.
   *
   * @param request the request
   * @param response its answer
   * @return the members and the link to the next page, or why it is not followed (another origin, a
   *     malformed link)
   * @throws WebPubSubException when the answer is not a page
   */
  public Page page(WebPubSubRequest request, WebPubSubResponse response) {
    JsonNode json = object(request, response);
    List<GroupMember> members = new ArrayList<>();
    JsonNode values = json.get("value");
    if (values != null && values.isArray()) {
      for (JsonNode value : values) {
        String connectionId = value.isObject() ? ReplyJson.text(value, "connectionId") : null;
        if (connectionId == null) {
          throw ErrorMapper.unreadable(
              request, this.endpoint, response, "a member without connectionId", null);
        }
        members.add(new GroupMember(connectionId, ReplyJson.text(value, "userId")));
      }
    }
    String nextLink = ReplyJson.text(json, "nextLink");
    if (nextLink == null || nextLink.isBlank()) {
      return new Page(members, null, null);
    }
    try {
      return new Page(members, checkedLink(request, response, nextLink), null);
    } catch (WebPubSubException ex) {
      // The members of this page are good; the failure comes when the next page is asked for.
      return new Page(members, null, ex);
    }
  }

  /**
   * The link as an absolute URL on the endpoint's origin: relative links are resolved against the
   * endpoint; absolute ones must have the scheme, host and port of the endpoint or of the reverse
   * proxy, so that the request's token never goes anywhere else.
   */
  private String checkedLink(WebPubSubRequest request, WebPubSubResponse response, String link) {
    URI target;
    try {
      target = this.endpoint.resolve(link);
    } catch (IllegalArgumentException ex) {
      throw ErrorMapper.unreadable(request, this.endpoint, response, "a malformed nextLink", ex);
    }
    if (!sameOrigin(target, this.endpoint)
        && (this.reverseProxy == null || !sameOrigin(target, this.reverseProxy))) {
      throw ErrorMapper.unreadable(
          request,
          this.endpoint,
          response,
          "a nextLink to another origin ("
              + ErrorMapper.hostAndPort(target)
              + "), which is not followed so that the token stays with the service",
          null);
    }
    if (sameOrigin(target, this.endpoint)) {
      return target.toString();
    }
    // A link through the proxy: the exchange sends to the proxy and signs the service URL.
    URI proxy = java.util.Objects.requireNonNull(this.reverseProxy);
    String path = (target.getRawPath() != null) ? target.getRawPath() : "";
    String proxyPath = (proxy.getRawPath() != null) ? proxy.getRawPath() : "";
    proxyPath = proxyPath.replaceFirst("/+$", "");
    // The proxy's path is a prefix of whole segments: "/wps" is not taken off "/wpsfoo/next".
    if (!proxyPath.isEmpty() && (path.equals(proxyPath) || path.startsWith(proxyPath + "/"))) {
      path = path.substring(proxyPath.length());
    }
    path = "/" + path.replaceFirst("^/+", ""); // not "//host/x" or "https://host/x": other hosts
    return this.endpoint
        .resolve(path + ((target.getRawQuery() != null) ? "?" + target.getRawQuery() : ""))
        .toString();
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().toLowerCase(Locale.ROOT).equals(lower(b.getHost()))
        && ErrorMapper.port(a) == ErrorMapper.port(b);
  }

  private static @Nullable String lower(@Nullable String host) {
    return (host != null) ? host.toLowerCase(Locale.ROOT) : null;
  }

  private JsonNode object(WebPubSubRequest request, WebPubSubResponse response) {
    try {
      return ReplyJson.readObject(response.body());
    } catch (IllegalArgumentException ex) {
      throw ErrorMapper.unreadable(
          request, this.endpoint, response, String.valueOf(ex.getMessage()), ex);
    }
  }

  /**
   * A page of group members.
   *
   * @param members the members on this page
   * @param nextLink the absolute URL of the next page, or {@code null} on the last page
   * @param nextLinkError why the next page is not asked for, or {@code null}
   */
  public record Page(
      List<GroupMember> members,
      @Nullable String nextLink,
      @Nullable WebPubSubException nextLinkError) {}
}
