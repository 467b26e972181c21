// Hand-written mirror of the public API shape of aws-sdk-cpp, NOT the real SDK
// (Debian does not package it). Mirrors aws/core/http/Scheme.h.
#pragma once

#include <string>

namespace Aws {
using String = std::string; // the SDK's Aws::String uses Aws::Allocator
namespace Http {
enum class Scheme { HTTP, HTTPS };
} // namespace Http
} // namespace Aws
