#include "Options.h"
#include "Console.h"
#include "matchers/Isolation.h"

#include "report/Ci.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace im::cli {

namespace {

cl::OptionCategory Category("integration-mapper options");

cl::opt<std::string> BuildPath("p", cl::desc("Build directory holding compile_commands.json, or "
                                             "the path of the file itself"),
                               cl::value_desc("path"), cl::cat(Category));
cl::list<std::string> Sources(cl::Positional,
                              cl::desc("[<source> ...]  (default: every file in the database)"),
                              cl::cat(Category));
cl::list<std::string> ExtraArgs("extra-arg",
                                cl::desc("Additional argument to append to the compiler command line"),
                                cl::cat(Category));
cl::list<std::string> ExtraArgsBefore(
    "extra-arg-before", cl::desc("Additional argument to prepend to the compiler command line"),
    cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Translation units analyzed in parallel (default: cores)"),
                       cl::init(0), cl::Prefix, cl::cat(Category));
cl::opt<unsigned> StackSizeMb("stack-size-mb",
                              cl::desc("Stack of the thread each translation unit is analyzed on, "
                                       "in MB (default 256; a unit that overflows it is reported "
                                       "failed)"),
                              cl::init(matchers::DefaultUnitStackMb), cl::cat(Category));
cl::opt<std::string> Formats("format",
                             cl::desc("Comma-separated outputs: json, md, sarif, diagnostics "
                                      "(default: json,md; diagnostics,json,md when stdout is a "
                                      "terminal)"),
                             cl::init("json,md"), cl::cat(Category));
cl::opt<std::string> OutputDir("output-dir", cl::desc("Where reports are written"),
                               cl::init("integration-report"), cl::cat(Category));
cl::opt<std::string> SourceRoot("source-root",
                                cl::desc("Root that report paths are made relative to (default: "
                                         "the current directory when it holds every source)"),
                                cl::cat(Category));
cl::opt<bool> IncludeGenerated("include-generated",
                               cl::desc("Report call sites in generated code (*.pb.cc, files "
                                        "under the build directory)"),
                               cl::cat(Category));
cl::opt<bool> IncludeTests("include-tests",
                           cl::desc("Count call sites in test code (tests, mocks, fakes, examples) "
                                    "as the system's"),
                           cl::cat(Category));
// Business facts and the shared glossary.
cl::opt<std::string> ConfigFile("config",
                                cl::desc("Configuration file (default: the nearest "
                                         ".integration-mapper.yaml above the first source)"),
                                cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> GlossaryFile(
    "glossary",
    cl::desc("Shared glossary to update (default: .claude/memory/glossary.json beside the config "
             "file; not written when there is neither)"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> NoGlossary("no-glossary", cl::desc("Do not update the shared glossary"),
                         cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("Print nothing but errors"), cl::cat(Category));
// Inventory and the playbook's layout.
cl::opt<std::string> Layout("layout",
                            cl::desc("Where the document goes: default (--output-dir) or claude "
                                     "(<source root>/.claude/memory/integrations/, the playbook's "
                                     "layout)"),
                            cl::init("default"), cl::cat(Category));
cl::opt<bool> NoInventory("no-inventory",
                          cl::desc("Do not read env files and build manifests under the source "
                                   "root"),
                          cl::cat(Category));
// CI: baseline and gate (the SARIF and diagnostics formats are under --format).
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Report and gate only findings whose fingerprint is "
                                           "not in this baseline file"),
                                  cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> WriteBaselineFile("write-baseline",
                                       cl::desc("Write the fingerprints of the current findings "
                                                "(after NOLINT) to this file"),
                                       cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> FailOn("fail-on",
                            cl::desc("Exit 1 when a reported finding at or above this severity "
                                     "remains: critical|high|medium|low|none (default none)"),
                            cl::value_desc("severity"), cl::init("none"), cl::cat(Category));

// Scale: the facts cache.
cl::opt<std::string> CacheDir("cache-dir",
                              cl::desc("Where the facts of each translation unit are kept for the "
                                       "next run (default: .integration-mapper-cache beside "
                                       "compile_commands.json)"),
                              cl::value_desc("dir"), cl::cat(Category));
cl::opt<bool> NoCache("no-cache", cl::desc("Parse every translation unit; read and write no cache"),
                      cl::cat(Category));

cl::opt<bool> NoPrefilter("no-prefilter",
                          cl::desc("Analyse every translation unit, also those that include no "
                                   "client library header and no header of a wrapper of one"),
                          cl::cat(Category));
cl::opt<std::string> Shard("shard",
                           cl::desc("Analyse the i-th of N deterministic parts of the translation "
                                    "units and write their facts (no report); `merge` makes the "
                                    "reports"),
                           cl::value_desc("i/N"), cl::cat(Category));
cl::opt<std::string> FactsOut("facts-out",
                              cl::desc("Where --shard writes its facts (default: "
                                       "<output-dir>/facts-<i>-of-<N>.json)"),
                              cl::value_desc("file"), cl::cat(Category));

bool parseShard(StringRef Text, unsigned &I, unsigned &N) {
  auto [A, B] = Text.split('/');
  return !A.getAsInteger(10, I) && !B.getAsInteger(10, N) && N >= 1 && I >= 1 && I <= N &&
         N <= 10000;
}

} // namespace

int fail(const std::string &Message) {
  err() << "integration-mapper: error: " << Message << "\n";
  return ExitUsage;
}

std::string currentDir() {
  SmallString<256> Cwd;
  sys::fs::current_path(Cwd);
  return std::string(Cwd);
}

int parseCommandLine(int argc, const char **argv, CliOptions &Out) {
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "integration-mapper " << IM_VERSION << " (LLVM/Clang " << LLVM_VERSION_STRING << ")\n";
  });
  // `integration-mapper merge ...`: the rest is parsed as a run's command line.
  std::vector<const char *> Args(argv, argv + argc);
  if (Args.size() > 1 && StringRef(Args[1]) == "merge") {
    Out.Merge = true;
    Args.erase(Args.begin() + 1);
  }
  argc = static_cast<int>(Args.size());
  argv = Args.data();
  std::string ParseErrors;
  raw_string_ostream ErrOS(ParseErrors);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "integration-mapper: finds calls to external integrations and judges their "
          "resilience.\n\n  integration-mapper merge [options] FACTS...  writes the reports of "
          "--shard runs\n\nExit codes: 0 analysis done, 1 findings at or above --fail-on, 2 usage "
          "or input error.\n",
          &ErrOS)) {
    ErrOS.flush();
    err() << ParseErrors;
    return ExitUsage;
  }
  Out.BuildPath = BuildPath;
  Out.Sources = Sources;
  Out.ExtraArgs = ExtraArgs;
  Out.ExtraArgsBefore = ExtraArgsBefore;
  Out.Jobs = Jobs;
  Out.StackSizeMb = StackSizeMb;
  Out.OutputDir = OutputDir;
  Out.OutputDirGiven = OutputDir.getNumOccurrences() > 0;
  Out.SourceRoot = SourceRoot;
  Out.IncludeGenerated = IncludeGenerated;
  Out.IncludeTests = IncludeTests;
  Out.ConfigFile = ConfigFile;
  Out.GlossaryFile = GlossaryFile;
  Out.NoGlossary = NoGlossary;
  Out.Quiet = Quiet;
  Out.Layout = Layout;
  Out.NoInventory = NoInventory;
  Out.BaselineFile = BaselineFile;
  Out.WriteBaselineFile = WriteBaselineFile;
  Out.FailOn = FailOn;
  Out.CacheDir = CacheDir;
  Out.NoCache = NoCache;
  Out.NoPrefilter = NoPrefilter;
  Out.FactsOut = FactsOut;
  if (Shard.getNumOccurrences() &&
      !parseShard(Shard.getValue(), Out.ShardIndex, Out.ShardCount))
    return fail("--shard: expected i/N with 1 <= i <= N, got '" + Shard.getValue() + "'");
  if (Out.Merge) {
    if (Out.ShardCount)
      return fail("merge: --shard does not apply");
    Out.FactsFiles = std::move(Out.Sources);
    Out.Sources.clear();
    if (Out.FactsFiles.empty())
      return fail("merge: no facts file given (integration-mapper merge [options] FACTS...)");
  }
  return ExitOk;
}

int checkOptions(CliOptions &O) {
  SmallVector<StringRef, 4> Parts;
  StringRef(Formats).split(Parts, ',', -1, false);
  for (StringRef P : Parts) {
    P = P.trim();
    if (P != "json" && P != "md" && P != "sarif" && P != "diagnostics")
      return fail("--format: unknown format '" + P.str() +
                  "' (expected json, md, sarif, diagnostics)");
    O.Formats.insert(P.str());
  }
  if (O.Formats.empty())
    return fail("--format: no format given");
  // On a terminal, findings are also printed like compiler warnings.
  if (!Formats.getNumOccurrences() && sys::Process::StandardOutIsDisplayed())
    O.Formats.insert("diagnostics");

  if (O.StackSizeMb < 1 || O.StackSizeMb > 4095)
    return fail("--stack-size-mb: expected 1 to 4095, got " + std::to_string(O.StackSizeMb));
  if (!report::isFailOnLevel(O.FailOn))
    return fail("--fail-on: unknown severity '" + O.FailOn +
                "' (expected critical, high, medium, low, none)");
  // Paths are made relative to the source root: one that does not exist is a
  // typo, and every path in the reports would silently stay absolute.
  if (!O.SourceRoot.empty() && !sys::fs::is_directory(O.SourceRoot))
    return fail("--source-root: '" + O.SourceRoot + "' is not a directory");
  if (O.Layout != "default" && O.Layout != "claude")
    return fail("--layout: unknown layout '" + O.Layout + "' (expected default, claude)");
  if (O.Layout == "claude" && O.OutputDirGiven)
    return fail("--layout=claude writes under <source root>/.claude/memory/integrations: do not "
                "combine it with --output-dir");
  return ExitOk;
}

} // namespace im::cli
