#ifndef CCURLSHIMS_H
#define CCURLSHIMS_H
// Non-variadic wrappers for libcurl's variadic setopt/getinfo calls, which Swift cannot call.
#include <curl/curl.h>
#endif
