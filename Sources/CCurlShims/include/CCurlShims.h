#ifndef CCURLSHIMS_H
#define CCURLSHIMS_H
// Non-variadic wrappers for libcurl's variadic setopt/getinfo calls, which Swift cannot call.
// Each takes exactly the argument type libcurl expects for the options it is used with.
#include <curl/curl.h>

/// curl_easy_setopt for options that take a long (CURLOPT_NOSIGNAL, CURLOPT_TIMEOUT_MS…).
CURLcode rlm_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);

/// curl_easy_setopt for options that take a pointer: strings (libcurl copies them), a
/// curl_slist, callback data, the error buffer.
CURLcode rlm_curl_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value);

/// curl_easy_setopt for options that take a curl_off_t (CURLOPT_POSTFIELDSIZE_LARGE).
CURLcode rlm_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);

/// curl_easy_setopt for CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION (same signature).
CURLcode rlm_curl_easy_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback);

/// curl_easy_getinfo for results that are a long (CURLINFO_RESPONSE_CODE).
CURLcode rlm_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);

/// curl_multi_setopt for options that take a long (CURLMOPT_MAX_HOST_CONNECTIONS…).
CURLMcode rlm_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

#endif
