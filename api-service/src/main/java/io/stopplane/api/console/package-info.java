/**
 * The operator's console: static pages served at {@code /console/} by the API itself, and the live feed they (and any
 * dashboard) read. The page is only another API client: every call it makes is an RPC call signed like an SDK's, and the
 * feed is authenticated, permissioned and tenant-scoped exactly like {@code DescribeInvocations}.
 */
package io.stopplane.api.console;
