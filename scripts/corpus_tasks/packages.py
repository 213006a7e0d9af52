# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""Package managers: apt, dnf, brew, pip, npm, and language toolchains."""

from ._dsl import P, T
from ._pools import APT_PKGS, NPM_PKGS, PIP_PKGS

BREW_PKGS = P("pkg", "wget", "htop", "jq", "git", "tree", "ripgrep", "tmux", "ffmpeg", "node",
              "python@3.12", "imagemagick")
DNF_PKGS = P("pkg", "curl", "htop", "git", "jq", "vim-enhanced", "tmux", "gcc", "nginx",
             "python3-pip")

# -- system packages ----------------------------------------------------------------------------

T("pkg.install", {"gnu": "sudo apt install -y {pkg}", "bsd": "brew install {pkg}"}, """
install {pkg}
how do I get {pkg}
set up {pkg} on this machine
I need {pkg}
""", APT_PKGS)

T("apt.install", "sudo apt install {pkg}", """
apt install {pkg}
install {pkg} with apt
install the {pkg} package on ubuntu
install {pkg} on debian
""", APT_PKGS)

T("apt.update_upgrade", "sudo apt update && sudo apt upgrade -y", """
update all packages on ubuntu
upgrade the system with apt
apt update and upgrade
bring debian packages up to date
""")

T("apt.update", "sudo apt update", """
refresh the apt package lists
update the package index
""")

T("apt.remove", "sudo apt remove {pkg}", """
uninstall {pkg} with apt
remove the {pkg} package on ubuntu
""", APT_PKGS)

T("apt.purge", "sudo apt purge {pkg} && sudo apt autoremove", """
completely remove {pkg} including its config
purge {pkg} and clean up dependencies
""", APT_PKGS)

T("apt.autoremove", "sudo apt autoremove", """
remove packages that are no longer needed
clean up unused dependencies with apt
""")

T("apt.search", "apt search {pkg}", """
search apt for {pkg}
find a package named like {pkg}
""", APT_PKGS)

T("apt.show", "apt show {pkg}", """
information about the {pkg} package
which version of {pkg} does apt offer
""", APT_PKGS)

T("apt.installed", "apt list --installed", """
list installed packages on ubuntu
which apt packages are installed
""")

T("apt.upgradable", "apt list --upgradable", """
which packages can be upgraded
list available updates
""")

T("apt.which_pkg", "dpkg -S $(command -v {prog})", """
which package provides {prog}
what package installed the {prog} binary
""", P("prog", "ls", "curl", "python3", "git", "ssh", "tar"))

T("apt.files", "dpkg -L {pkg}", """
list the files installed by {pkg}
where did {pkg} put its files
""", APT_PKGS)

T("apt.install_deb", "sudo apt install ./{deb}", """
install the deb file {deb}
install a downloaded .deb package {deb}
""", P("deb", "google-chrome-stable_current_amd64.deb", "code_1.85_amd64.deb", "package.deb",
       "zoom_amd64.deb"))

T("apt.clean", "sudo apt clean", """
clear the apt cache
free space used by downloaded packages
""")

T("apt.hold", "sudo apt-mark hold {pkg}", """
prevent {pkg} from being upgraded
pin the version of {pkg}
""", APT_PKGS)

T("dnf.install", "sudo dnf install {pkg}", """
install {pkg} on fedora
dnf install {pkg}
install {pkg} on rhel or centos
yum install {pkg}
""", DNF_PKGS)

T("dnf.upgrade", "sudo dnf upgrade --refresh", """
update all packages on fedora
upgrade the system with dnf
""")

T("dnf.remove", "sudo dnf remove {pkg}", """
uninstall {pkg} on fedora
remove {pkg} with dnf
""", DNF_PKGS)

T("dnf.search", "dnf search {pkg}", """
search dnf for {pkg}
find the fedora package for {pkg}
""", DNF_PKGS)

T("dnf.provides", "dnf provides {path}", """
which fedora package provides {path}
find the rpm that contains {path}
""", P("path", "/usr/bin/dig", "*/bin/nc", "/usr/bin/convert", "libssl.so.3"))

T("dnf.list_installed", "dnf list installed", """
list installed packages on fedora
which rpm packages are installed
""")

T("pacman.install", "sudo pacman -S {pkg}", """
install {pkg} on arch
pacman install {pkg}
""", P("pkg", "git", "htop", "jq", "tmux", "neovim", "ffmpeg"))

T("pacman.upgrade", "sudo pacman -Syu", """
update arch linux
full system upgrade with pacman
""")

T("brew.install", "brew install {pkg}", """
brew install {pkg}
install {pkg} with homebrew
install {pkg} on my mac
""", BREW_PKGS)

T("brew.install_cask", "brew install --cask {app}", """
install the app {app} with homebrew
brew cask install {app}
""", P("app", "visual-studio-code", "firefox", "iterm2", "docker", "slack", "rectangle"))

T("brew.upgrade", "brew update && brew upgrade", """
update all homebrew packages
upgrade everything installed with brew
""")

T("brew.uninstall", "brew uninstall {pkg}", """
uninstall {pkg} with brew
remove {pkg} installed by homebrew
""", BREW_PKGS)

T("brew.list", "brew list", """
list packages installed with homebrew
what have I installed with brew
""")

T("brew.outdated", "brew outdated", """
which brew packages are outdated
homebrew formulae that have newer versions
what can brew upgrade
""")

T("brew.search", "brew search {pkg}", """
search homebrew for {pkg}
is {pkg} available in brew
""", BREW_PKGS)

T("brew.info", "brew info {pkg}", """
info about the brew formula {pkg}
""", BREW_PKGS)

T("brew.cleanup", "brew cleanup", """
remove old versions of homebrew packages
free disk space used by brew
""")

T("brew.services", "brew services list", """
list homebrew services
which brew services are running
""")

T("brew.doctor", "brew doctor", """
check homebrew for problems
why is brew broken
""")

T("snap.install", "sudo snap install {pkg}", """
install {pkg} as a snap
snap install {pkg}
""", P("pkg", "code --classic", "spotify", "vlc", "postman", "slack"))

T("flatpak.install", "flatpak install flathub {app}", """
install {app} from flathub
flatpak install {app}
""", P("app", "org.gimp.GIMP", "com.spotify.Client", "org.videolan.VLC", "com.slack.Slack"))

# -- python -------------------------------------------------------------------------------------

T("pip.install", "python3 -m pip install {pkg}", """
install the python package {pkg}
pip install {pkg}
add {pkg} to my python environment
""", PIP_PKGS)

T("pip.install_version", "python3 -m pip install '{pkg}=={ver}'", """
install {pkg} version {ver}
pip install exactly {pkg} {ver}
""", P("pkg ver", "requests 2.31.0", "numpy 1.26.4", "django 4.2", "flask 3.0.0", "pandas 2.1.4"))

T("pip.upgrade", "python3 -m pip install --upgrade {pkg}", """
upgrade {pkg}
update the python package {pkg} to the latest version
""", PIP_PKGS)

T("pip.requirements", "python3 -m pip install -r requirements.txt", """
install the requirements
pip install everything in requirements.txt
install python dependencies from the requirements file
""")

T("pip.freeze", "python3 -m pip freeze > requirements.txt", """
save installed python packages to requirements.txt
write a requirements file from my environment
""")

T("pip.list", "python3 -m pip list", """
list installed python packages
which pip packages do I have
""")

T("pip.outdated", "python3 -m pip list --outdated", """
which python packages are outdated
pip packages with newer versions available
""")

T("pip.show", "python3 -m pip show {pkg}", """
which version of {pkg} is installed
details of the pip package {pkg}
where is {pkg} installed
""", PIP_PKGS)

T("pip.uninstall", "python3 -m pip uninstall -y {pkg}", """
uninstall {pkg}
remove the python package {pkg}
""", PIP_PKGS)

T("pip.user", "python3 -m pip install --user {pkg}", """
install {pkg} for my user only
pip install {pkg} without sudo
""", PIP_PKGS)

T("pip.editable", "python3 -m pip install -e .", """
install this project in editable mode
pip install the current package for development
""")

T("venv.create", "python3 -m venv {dir}", """
create a python virtual environment
make a venv called {dir}
set up a virtualenv in {dir}
""", P("dir", ".venv", "venv", "env", ".env-py"))

T("venv.activate", "source {dir}/bin/activate", """
activate the virtual environment
enter the venv {dir}
""", P("dir", ".venv", "venv", "env"))

T("venv.deactivate", "deactivate", """
leave the virtual environment
deactivate the venv
""")

T("pipx.install", "pipx install {pkg}", """
install the command line tool {pkg} with pipx
pipx install {pkg}
""", P("pkg", "black", "httpie", "poetry", "ruff", "yt-dlp", "cookiecutter"))

T("python.version", "python3 --version", """
which python version do I have
python version
""")

T("python.json_tool", "python3 -m json.tool {file}", """
pretty print {file} with python
format the json file {file} using python
""", P("file", "data.json", "package.json", "config.json", "response.json"))

T("python.run_module", "python3 -m {mod}", """
run the python module {mod}
start {mod} with python -m
""", P("mod", "pytest", "pip --version", "unittest discover", "venv --help", "timeit '1+1'"))

T("python.oneliner", "python3 -c '{code}'", """
quick python one liner: {desc}
compute {desc} with python from the shell
""", P("code desc", "print(2**64) ; 2 to the power 64", "import uuid; print(uuid.uuid4()) ; a random uuid",
       "import secrets; print(secrets.token_hex(16)) ; a random hex token",
       "import sys; print(sys.path) ; the python import path"))

T("pytest.run", "python3 -m pytest {args}", """
run the tests {desc}
pytest {desc}
""", P("args desc", "-x ; and stop at the first failure", "-k login ; matching login",
       "-q ; quietly", "tests/test_api.py ; in tests/test_api.py", "--lf ; that failed last time",
       "-v ; verbosely"))

# -- node ---------------------------------------------------------------------------------------

T("npm.install_pkg", "npm install {pkg}", """
npm install {pkg}
add {pkg} to my node project
install the npm package {pkg}
""", NPM_PKGS)

T("npm.install_dev", "npm install --save-dev {pkg}", """
install {pkg} as a dev dependency
add {pkg} to devDependencies
""", NPM_PKGS)

T("npm.install_global", "npm install -g {pkg}", """
install {pkg} globally with npm
make {pkg} available everywhere
""", NPM_PKGS)

T("npm.install", "npm install", """
install node dependencies
install everything from package.json
""")

T("npm.ci", "npm ci", """
clean install of node modules from the lockfile
reproducible npm install for ci
""")

T("npm.uninstall", "npm uninstall {pkg}", """
remove the npm package {pkg}
uninstall {pkg} from the project
""", NPM_PKGS)

T("npm.run", "npm run {script}", """
run the {script} script
npm run {script}
""", P("script", "build", "dev", "lint", "start", "test", "format"))

T("npm.test", "npm test", """
run the node tests
npm test
execute the test script from package.json
""")

T("npm.outdated", "npm outdated", """
which npm packages are outdated
check for newer versions of my node dependencies
""")

T("npm.update", "npm update", """
update node packages within their semver ranges
bring node dependencies up to the newest allowed versions
refresh the packages in node_modules to their latest compatible releases
""")

T("npm.list", "npm ls --depth=0", """
list top level npm packages
which node modules are installed
""")

T("npm.list_global", "npm ls -g --depth=0", """
list globally installed npm packages
which node tools did I install with npm -g
global npm modules on this machine
""")

T("npm.audit", "npm audit fix", """
fix npm security vulnerabilities
run npm audit and fix issues
""")

T("npm.init", "npm init -y", """
create a package.json with defaults
start a new node project
""")

T("npm.cache_clean", "npm cache clean --force", """
clear the npm cache
wipe npm's download cache
npm install is acting weird, reset the cache
""")

T("npm.view_versions", "npm view {pkg} versions", """
which versions of {pkg} are published
list all versions of the npm package {pkg}
""", NPM_PKGS)

T("npx.run", "npx {tool}", """
run {tool} without installing it
use npx to run {tool}
""", P("tool", "create-react-app my-app", "prettier --write .", "eslint .", "tsc --init",
       "http-server"))

T("node.version", "node --version", """
which node version is installed
node version
""")

T("nvm.use", "nvm install {ver} && nvm use {ver}", """
switch to node {ver}
install and use node version {ver}
""", P("ver", "20", "18", "22", "lts/*"))

T("yarn.add", "yarn add {pkg}", """
yarn add {pkg}
add {pkg} with yarn
""", NPM_PKGS)

T("pnpm.install", "pnpm add {pkg}", """
add {pkg} with pnpm
pnpm install {pkg}
""", NPM_PKGS)

# -- other toolchains ---------------------------------------------------------------------------

T("cargo.install", "cargo install {pkg}", """
install the rust tool {pkg}
cargo install {pkg}
""", P("pkg", "ripgrep", "fd-find", "bat", "exa", "tokei", "cargo-watch"))

T("cargo.build_release", "cargo build --release", """
build the rust project in release mode
optimized cargo build
""")

T("go.install", "go install {pkg}@latest", """
install the go tool {pkg}
go install {pkg}
""", P("pkg", "golang.org/x/tools/gopls", "github.com/go-delve/delve/cmd/dlv",
       "honnef.co/go/tools/cmd/staticcheck"))

T("go.mod_tidy", "go mod tidy", """
clean up go module dependencies
tidy go.mod
""")

T("gem.install", "gem install {pkg}", """
install the ruby gem {pkg}
gem install {pkg}
""", P("pkg", "bundler", "rails", "jekyll", "rubocop"))

T("make.build", {"gnu": "make -j\"$(nproc)\"", "bsd": "make -j\"$(sysctl -n hw.ncpu)\""}, """
build with make using all cores
run make in parallel
""")

T("make.target", "make {target}", """
run the make target {target}
make {target}
""", P("target", "test", "clean", "install", "build", "lint", "release"))
