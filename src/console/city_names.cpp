#include "city_names.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace dypls::console {
namespace {

struct Spelling {
  const char* city;
  const char* latin;  // lower case, letters only
};

// Every city in text/cities.txt in pinyin (ü as v), then a few English names in common use.
constexpr Spelling kSpellings[] = {
    {"全国", "quanguo"},
    {"全国列表", "quanguoliebiao"},
    {"全国通用", "quanguotongyong"},
    {"北京", "beijing"},
    {"上海", "shanghai"},
    {"天津", "tianjin"},
    {"重庆", "chongqing"},
    {"杭州", "hangzhou"},
    {"宁波", "ningbo"},
    {"温州", "wenzhou"},
    {"嘉兴", "jiaxing"},
    {"湖州", "huzhou"},
    {"绍兴", "shaoxing"},
    {"金华", "jinhua"},
    {"衢州", "quzhou"},
    {"舟山", "zhoushan"},
    {"台州", "taizhou"},
    {"丽水", "lishui"},
    {"南京", "nanjing"},
    {"无锡", "wuxi"},
    {"徐州", "xuzhou"},
    {"常州", "changzhou"},
    {"苏州", "suzhou"},
    {"南通", "nantong"},
    {"连云港", "lianyungang"},
    {"淮安", "huaian"},
    {"盐城", "yancheng"},
    {"扬州", "yangzhou"},
    {"镇江", "zhenjiang"},
    {"泰州", "taizhou"},
    {"宿迁", "suqian"},
    {"合肥", "hefei"},
    {"芜湖", "wuhu"},
    {"蚌埠", "bengbu"},
    {"淮南", "huainan"},
    {"马鞍山", "maanshan"},
    {"淮北", "huaibei"},
    {"铜陵", "tongling"},
    {"安庆", "anqing"},
    {"黄山", "huangshan"},
    {"滁州", "chuzhou"},
    {"阜阳", "fuyang"},
    {"宿州", "suzhou"},
    {"六安", "luan"},
    {"亳州", "bozhou"},
    {"池州", "chizhou"},
    {"宣城", "xuancheng"},
    {"福州", "fuzhou"},
    {"厦门", "xiamen"},
    {"莆田", "putian"},
    {"三明", "sanming"},
    {"泉州", "quanzhou"},
    {"漳州", "zhangzhou"},
    {"南平", "nanping"},
    {"龙岩", "longyan"},
    {"宁德", "ningde"},
    {"南昌", "nanchang"},
    {"景德镇", "jingdezhen"},
    {"萍乡", "pingxiang"},
    {"九江", "jiujiang"},
    {"新余", "xinyu"},
    {"鹰潭", "yingtan"},
    {"赣州", "ganzhou"},
    {"吉安", "jian"},
    {"宜春", "yichun"},
    {"抚州", "fuzhou"},
    {"上饶", "shangrao"},
    {"济南", "jinan"},
    {"青岛", "qingdao"},
    {"淄博", "zibo"},
    {"枣庄", "zaozhuang"},
    {"东营", "dongying"},
    {"烟台", "yantai"},
    {"潍坊", "weifang"},
    {"济宁", "jining"},
    {"泰安", "taian"},
    {"威海", "weihai"},
    {"日照", "rizhao"},
    {"临沂", "linyi"},
    {"德州", "dezhou"},
    {"聊城", "liaocheng"},
    {"滨州", "binzhou"},
    {"菏泽", "heze"},
    {"郑州", "zhengzhou"},
    {"开封", "kaifeng"},
    {"洛阳", "luoyang"},
    {"平顶山", "pingdingshan"},
    {"安阳", "anyang"},
    {"鹤壁", "hebi"},
    {"新乡", "xinxiang"},
    {"焦作", "jiaozuo"},
    {"濮阳", "puyang"},
    {"许昌", "xuchang"},
    {"漯河", "luohe"},
    {"三门峡", "sanmenxia"},
    {"南阳", "nanyang"},
    {"商丘", "shangqiu"},
    {"信阳", "xinyang"},
    {"周口", "zhoukou"},
    {"驻马店", "zhumadian"},
    {"武汉", "wuhan"},
    {"黄石", "huangshi"},
    {"十堰", "shiyan"},
    {"宜昌", "yichang"},
    {"襄阳", "xiangyang"},
    {"鄂州", "ezhou"},
    {"荆门", "jingmen"},
    {"孝感", "xiaogan"},
    {"荆州", "jingzhou"},
    {"黄冈", "huanggang"},
    {"咸宁", "xianning"},
    {"随州", "suizhou"},
    {"恩施", "enshi"},
    {"长沙", "changsha"},
    {"株洲", "zhuzhou"},
    {"湘潭", "xiangtan"},
    {"衡阳", "hengyang"},
    {"邵阳", "shaoyang"},
    {"岳阳", "yueyang"},
    {"常德", "changde"},
    {"张家界", "zhangjiajie"},
    {"益阳", "yiyang"},
    {"郴州", "chenzhou"},
    {"永州", "yongzhou"},
    {"怀化", "huaihua"},
    {"娄底", "loudi"},
    {"广州", "guangzhou"},
    {"韶关", "shaoguan"},
    {"深圳", "shenzhen"},
    {"珠海", "zhuhai"},
    {"汕头", "shantou"},
    {"佛山", "foshan"},
    {"江门", "jiangmen"},
    {"湛江", "zhanjiang"},
    {"茂名", "maoming"},
    {"肇庆", "zhaoqing"},
    {"惠州", "huizhou"},
    {"梅州", "meizhou"},
    {"汕尾", "shanwei"},
    {"河源", "heyuan"},
    {"阳江", "yangjiang"},
    {"清远", "qingyuan"},
    {"东莞", "dongguan"},
    {"中山", "zhongshan"},
    {"潮州", "chaozhou"},
    {"揭阳", "jieyang"},
    {"云浮", "yunfu"},
    {"南宁", "nanning"},
    {"柳州", "liuzhou"},
    {"桂林", "guilin"},
    {"梧州", "wuzhou"},
    {"北海", "beihai"},
    {"防城港", "fangchenggang"},
    {"钦州", "qinzhou"},
    {"贵港", "guigang"},
    {"玉林", "yulin"},
    {"百色", "baise"},
    {"贺州", "hezhou"},
    {"河池", "hechi"},
    {"来宾", "laibin"},
    {"崇左", "chongzuo"},
    {"海口", "haikou"},
    {"三亚", "sanya"},
    {"三沙", "sansha"},
    {"儋州", "danzhou"},
    {"成都", "chengdu"},
    {"自贡", "zigong"},
    {"攀枝花", "panzhihua"},
    {"泸州", "luzhou"},
    {"德阳", "deyang"},
    {"绵阳", "mianyang"},
    {"广元", "guangyuan"},
    {"遂宁", "suining"},
    {"内江", "neijiang"},
    {"乐山", "leshan"},
    {"南充", "nanchong"},
    {"眉山", "meishan"},
    {"宜宾", "yibin"},
    {"广安", "guangan"},
    {"达州", "dazhou"},
    {"雅安", "yaan"},
    {"巴中", "bazhong"},
    {"资阳", "ziyang"},
    {"贵阳", "guiyang"},
    {"六盘水", "liupanshui"},
    {"遵义", "zunyi"},
    {"安顺", "anshun"},
    {"毕节", "bijie"},
    {"铜仁", "tongren"},
    {"昆明", "kunming"},
    {"曲靖", "qujing"},
    {"玉溪", "yuxi"},
    {"保山", "baoshan"},
    {"昭通", "zhaotong"},
    {"丽江", "lijiang"},
    {"普洱", "puer"},
    {"临沧", "lincang"},
    {"大理", "dali"},
    {"拉萨", "lasa"},
    {"日喀则", "rikaze"},
    {"昌都", "changdu"},
    {"林芝", "linzhi"},
    {"山南", "shannan"},
    {"那曲", "naqu"},
    {"西安", "xian"},
    {"铜川", "tongchuan"},
    {"宝鸡", "baoji"},
    {"咸阳", "xianyang"},
    {"渭南", "weinan"},
    {"延安", "yanan"},
    {"汉中", "hanzhong"},
    {"榆林", "yulin"},
    {"安康", "ankang"},
    {"商洛", "shangluo"},
    {"兰州", "lanzhou"},
    {"嘉峪关", "jiayuguan"},
    {"金昌", "jinchang"},
    {"白银", "baiyin"},
    {"天水", "tianshui"},
    {"武威", "wuwei"},
    {"张掖", "zhangye"},
    {"平凉", "pingliang"},
    {"酒泉", "jiuquan"},
    {"庆阳", "qingyang"},
    {"定西", "dingxi"},
    {"陇南", "longnan"},
    {"西宁", "xining"},
    {"海东", "haidong"},
    {"银川", "yinchuan"},
    {"石嘴山", "shizuishan"},
    {"吴忠", "wuzhong"},
    {"固原", "guyuan"},
    {"中卫", "zhongwei"},
    {"乌鲁木齐", "wulumuqi"},
    {"克拉玛依", "kelamayi"},
    {"吐鲁番", "tulufan"},
    {"哈密", "hami"},
    {"石家庄", "shijiazhuang"},
    {"唐山", "tangshan"},
    {"秦皇岛", "qinhuangdao"},
    {"邯郸", "handan"},
    {"邢台", "xingtai"},
    {"保定", "baoding"},
    {"张家口", "zhangjiakou"},
    {"承德", "chengde"},
    {"沧州", "cangzhou"},
    {"廊坊", "langfang"},
    {"衡水", "hengshui"},
    {"太原", "taiyuan"},
    {"大同", "datong"},
    {"阳泉", "yangquan"},
    {"长治", "changzhi"},
    {"晋城", "jincheng"},
    {"朔州", "shuozhou"},
    {"晋中", "jinzhong"},
    {"运城", "yuncheng"},
    {"忻州", "xinzhou"},
    {"临汾", "linfen"},
    {"吕梁", "lvliang"},
    {"呼和浩特", "huhehaote"},
    {"包头", "baotou"},
    {"乌海", "wuhai"},
    {"赤峰", "chifeng"},
    {"通辽", "tongliao"},
    {"鄂尔多斯", "eerduosi"},
    {"呼伦贝尔", "hulunbeier"},
    {"巴彦淖尔", "bayannaoer"},
    {"乌兰察布", "wulanchabu"},
    {"沈阳", "shenyang"},
    {"大连", "dalian"},
    {"鞍山", "anshan"},
    {"抚顺", "fushun"},
    {"本溪", "benxi"},
    {"丹东", "dandong"},
    {"锦州", "jinzhou"},
    {"营口", "yingkou"},
    {"阜新", "fuxin"},
    {"辽阳", "liaoyang"},
    {"盘锦", "panjin"},
    {"铁岭", "tieling"},
    {"朝阳", "chaoyang"},
    {"葫芦岛", "huludao"},
    {"长春", "changchun"},
    {"吉林", "jilin"},
    {"四平", "siping"},
    {"辽源", "liaoyuan"},
    {"通化", "tonghua"},
    {"白山", "baishan"},
    {"松原", "songyuan"},
    {"白城", "baicheng"},
    {"延边", "yanbian"},
    {"哈尔滨", "haerbin"},
    {"齐齐哈尔", "qiqihaer"},
    {"鸡西", "jixi"},
    {"鹤岗", "hegang"},
    {"双鸭山", "shuangyashan"},
    {"大庆", "daqing"},
    {"伊春", "yichun"},
    {"佳木斯", "jiamusi"},
    {"七台河", "qitaihe"},
    {"牡丹江", "mudanjiang"},
    {"黑河", "heihe"},
    {"绥化", "suihua"},
    {"香港", "xianggang"},
    {"澳门", "aomen"},
    {"台湾", "taiwan"},
    {"哈尔滨", "harbin"},
    {"乌鲁木齐", "urumqi"},
    {"呼和浩特", "hohhot"},
    {"拉萨", "lhasa"},
    {"香港", "hongkong"},
    {"澳门", "macau"},
    {"澳门", "macao"},
    {"广州", "canton"},
    {"日喀则", "shigatse"},
    {"鄂尔多斯", "ordos"},
    {"呼伦贝尔", "hulunbuir"},
    {"吕梁", "luliang"},
    {"全国", "nationwide"},
    {"六安", "luan"},
};

// Lower-case letters only: "Xi'an" -> "xian", "Hang Zhou" -> "hangzhou". A trailing "shi" (市) or
// "city" is dropped. Empty when the text holds anything but ASCII letters and separators.
std::string normalise_latin(std::string_view typed) {
  std::string out;
  for (const char c : typed) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u) != 0 && u < 0x80) {
      out += static_cast<char>(std::tolower(u));
    } else if (c != ' ' && c != '-' && c != '\'' && c != '_' && c != '.') {
      return {};
    }
  }
  for (const std::string_view suffix : {"city", "shi"}) {
    if (out.size() > suffix.size() + 2 &&
        out.compare(out.size() - suffix.size(), suffix.size(), suffix) == 0) {
      std::string shorter = out.substr(0, out.size() - suffix.size());
      const bool known = std::any_of(std::begin(kSpellings), std::end(kSpellings),
                                     [&](const Spelling& s) { return shorter == s.latin; });
      if (known) return shorter;
    }
  }
  return out;
}

// Levenshtein distance, stopping early: only "is it at most 2" matters.
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

void add_unique(std::vector<std::string>& out, const char* city) {
  if (std::find(out.begin(), out.end(), city) == out.end()) out.emplace_back(city);
}

}  // namespace

std::string city_from_latin(std::string_view typed) {
  const std::string latin = normalise_latin(typed);
  if (latin.empty()) return {};
  std::string found;
  for (const Spelling& s : kSpellings) {
    if (latin != s.latin) continue;
    if (!found.empty() && found != s.city) return {};  // two cities spelt alike: do not guess
    found = s.city;
  }
  return found;
}

bool known_city(std::string_view name) {
  return std::any_of(std::begin(kSpellings), std::end(kSpellings),
                     [&](const Spelling& s) { return name == s.city; });
}

std::vector<std::string> suggest_cities(std::string_view typed, std::size_t limit) {
  std::vector<std::string> out;
  if (typed.empty()) return out;
  const std::string latin = normalise_latin(typed);
  for (const Spelling& s : kSpellings) {  // exact spellings first (both 苏州 and 宿州)
    if (!latin.empty() && latin == s.latin) add_unique(out, s.city);
  }
  for (const Spelling& s : kSpellings) {
    const std::string_view city = s.city;
    const bool contains = latin.empty() && city.find(typed) != std::string_view::npos;
    const bool starts = !latin.empty() && std::string_view(s.latin).rfind(latin, 0) == 0;
    if (contains || starts) add_unique(out, s.city);
  }
  for (const Spelling& s : kSpellings) {
    if (!latin.empty() && latin.size() >= 3 && distance(latin, s.latin) <= 2) {
      add_unique(out, s.city);
    }
  }
  if (out.size() > limit) out.resize(limit);
  return out;
}

bool city_matches_filter(std::string_view city, std::string_view filter) {
  if (filter.empty() || city.find(filter) != std::string_view::npos) return true;
  const std::string latin = normalise_latin(filter);
  if (latin.empty()) return false;
  return std::any_of(std::begin(kSpellings), std::end(kSpellings), [&](const Spelling& s) {
    return city == s.city && std::string_view(s.latin).rfind(latin, 0) == 0;
  });
}

std::string latin_of_city(std::string_view city) {
  for (const Spelling& s : kSpellings) {
    if (city == s.city) return s.latin;
  }
  return {};
}

}  // namespace dypls::console
