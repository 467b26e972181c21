// Reading a translation unit's facts from their JSON text.
#pragma once

#include "model/Facts.h"

#include <string_view>

namespace im::model {

/// The facts in `Text`, the JSON model::toJson writes for a TUFacts, read with
/// simdjson by the same reader as tuFactsFromJson: several times faster than
/// parsing with nlohmann first, which matters where tens of megabytes of facts
/// are read (the facts cache on a warm run). Throws a std::exception naming the
/// problem on text that is not JSON or not facts, as tuFactsFromJson does.
TUFacts tuFactsFromText(std::string_view Text);

} // namespace im::model
