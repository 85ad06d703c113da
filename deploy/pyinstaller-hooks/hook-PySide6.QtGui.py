# PySide6.QtGui for the kiosk's build (deploy/sangsuk-kiosk.spec): PyInstaller's own hook,
# less the Qt plugins that would pull in large parts of Qt or of the desktop the kiosk never
# uses. This hook takes the place of PyInstaller's (the spec names this folder in hookspath).
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNUSED_PLUGINS = (
    # Qt's QML virtual keyboard (QtQml, QtQuick): the kiosk draws its own Thai keyboard.
    "platforminputcontexts/libqtvirtualkeyboardplugin",
    # PDF as an image format (QtPdf): the kiosk shows PNG and JPEG photos only.
    "imageformats/libqpdf",
    # The GTK 3 look (GTK, GDK, cairo): the kiosk draws with its own style and stylesheet.
    "platformthemes/libqgtk3",
)

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (source, dest)
    for source, dest in binaries
    if not any(name in source.replace("\\", "/") for name in UNUSED_PLUGINS)
]
