# lit configuration for the clang-tidy plugin tests: the real clang-tidy-19
# binary loads the built plugin; FileCheck checks its exact output.
# Parameters (set by test/CMakeLists.txt): plugin, llvm_bin, source_dir.
import os
import lit.formats

config.name = "integration-mapper-tidy"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".cpp", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(lit_config.params.get("exec_root", "/tmp"), "im-tidy-lit")

plugin = lit_config.params["plugin"]
llvm_bin = lit_config.params.get("llvm_bin", "/usr/lib/llvm-19/bin")
source_dir = lit_config.params["source_dir"]
config.environment["PATH"] = llvm_bin + os.pathsep + os.environ.get("PATH", "")
config.substitutions.append(("%clang_tidy", "clang-tidy-19 --quiet --load=" + plugin))
config.substitutions.append(("%example", os.path.join(source_dir, "examples", "payment-service")))
config.substitutions.append(("%inputs", os.path.join(os.path.dirname(__file__), "Inputs")))
config.substitutions.append(("%{srcroot}", source_dir))
config.substitutions.append(("%{im}", lit_config.params["tool"]))
