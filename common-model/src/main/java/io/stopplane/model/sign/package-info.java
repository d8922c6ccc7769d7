/**
 * The two request-signature schemes of Alibaba Cloud's RPC APIs, V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256), shared by
 * the API, which verifies them, and the clients that sign with them (the bench); plain JDK, no web framework.
 */
package io.stopplane.model.sign;
