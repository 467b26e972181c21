from conan import ConanFile


class Shop(ConanFile):
    name = "shop"
    version = "1.0"
    requires = "libpq/15.4", "zlib/1.3"

    def requirements(self):
        self.requires("mongo-c-driver/1.24.4")
        self.requires("cpp-httplib/0.14.1")
