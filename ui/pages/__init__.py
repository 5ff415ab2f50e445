"""The pages of the main window, in sidebar order. Adding a page = one module + one line here.

Each entry builds a page from the shared services (the session and the watcher).
"""

from __future__ import annotations

from collections.abc import Callable

from ui.pages.base import Page
from ui.session import WalletSession
from ui.watcher import Watcher

PageFactory = Callable[[WalletSession, Watcher], Page]


def default_pages() -> list[PageFactory]:
    from ui.pages.activity import ActivityPage
    from ui.pages.community import CommunityPage
    from ui.pages.contribute import ContributePage
    from ui.pages.contributions import ContributionsPage
    from ui.pages.dashboard import DashboardPage
    from ui.pages.model import ModelPage
    from ui.pages.network import NetworkPage
    from ui.pages.simulation import SimulationPage
    from ui.pages.wallet import WalletPage

    return [
        lambda s, w: ContributePage(s),
        lambda s, w: ContributionsPage(s, w),
        lambda s, w: CommunityPage(s),
        lambda s, w: WalletPage(s),
        lambda s, w: ModelPage(s),
        lambda s, w: NetworkPage(s, w),
        lambda s, w: DashboardPage(s, w),
        lambda s, w: SimulationPage(s),
        lambda s, w: ActivityPage(s, w),
    ]
