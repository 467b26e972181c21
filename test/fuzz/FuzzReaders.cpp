// libFuzzer entry point for the readers of files a user gives the tool. Built
// once per reader (IM_FUZZ_<READER>, scripts/fuzz.sh): whatever the bytes, the
// reader returns a value or an error; an exception, a crash or undefined
// behaviour (the sanitizers) is a finding.
#if defined(IM_FUZZ_FACTS)
#include "Shards.h"
#endif
#include "catalog/Catalog.h"
#include "compdb/CompileDb.h"
#include "config/Config.h"
#include "inventory/Inventory.h"
#include "model/Facts.h"
#include "model/FactsText.h"
#include "report/Glossary.h"

#include <cstddef>
#include <cstdlib>
#include <cstdint>
#include <exception>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  const std::string Text(reinterpret_cast<const char *>(Data), Size);
#if defined(IM_FUZZ_COMPDB)
  auto Db = im::compdb::parse("/nonexistent/compile_commands.json", Text);
  if (!Db)
    llvm::consumeError(Db.takeError());
#elif defined(IM_FUZZ_CONFIG)
  // The config's catalog: entries are read too; catalog_files name files under
  // a folder that does not exist, so nothing is read from disk.
  auto C = im::config::parseConfig(Text, "/nonexistent/.integration-mapper.yaml");
  if (!C) {
    llvm::consumeError(C.takeError());
  } else {
    C->CatalogFiles.clear();
    im::catalog::Catalog Cat;
    llvm::consumeError(im::config::extendCatalog(*C, Cat));
  }
#elif defined(IM_FUZZ_CATALOG)
  im::catalog::Catalog Cat;
  llvm::consumeError(Cat.addJson("fuzz.json", Text));
#elif defined(IM_FUZZ_GLOSSARY)
  auto G = im::report::mergeGlossary(Text, "glossary.json", im::model::Report{});
  if (!G)
    llvm::consumeError(G.takeError());
#elif defined(IM_FUZZ_ENV)
  im::inventory::parseEnvFile("/nonexistent/.env", Text);
#elif defined(IM_FUZZ_MANIFESTS)
  // The same bytes through every build-manifest reader (CMakeLists.txt,
  // vcpkg.json, conanfile.txt, conanfile.py, meson.build).
  static const im::catalog::Catalog Cat = [] {
    auto C = im::catalog::Catalog::loadBuiltin();
    if (!C)
      abort();
    return std::move(*C);
  }();
  for (const char *Name : {"CMakeLists.txt", "vcpkg.json", "conanfile.txt", "conanfile.py",
                           "meson.build"})
    im::inventory::parseManifest(std::string("/nonexistent/") + Name, Text, Cat);
#elif defined(IM_FUZZ_FACTS)
  // A --shard run's facts file as `integration-mapper merge` reads it (the facts
  // cache holds the same unit facts).
  auto F = im::cli::parseFactsFile("/nonexistent/facts-1-of-2.json", Text);
  if (!F)
    llvm::consumeError(F.takeError());
#elif defined(IM_FUZZ_PARTS)
  // A part of the facts cache (one file's share of a unit's facts) as the cache
  // reads it, with simdjson. The cache reads only a part whose digest matches
  // its name; this reads any bytes. Bad input is refused with an exception.
  try {
    im::model::tuFactsFromText(Text);
  } catch (const std::exception &) {
  }
#else
#error "define the reader: IM_FUZZ_COMPDB, _CONFIG, _CATALOG, _GLOSSARY, _ENV, _MANIFESTS, _FACTS or _PARTS"
#endif
  return 0;
}
